from semipark.cli import main

main()
