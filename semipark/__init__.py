"""semipark: the digital platform of a semiconductor-materials industrial and chemical park."""

__version__ = "0.1.0"
