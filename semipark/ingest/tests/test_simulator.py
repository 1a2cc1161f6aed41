import pytest

from semipark.ingest.simulator import LEAK_SECONDS, HttpSink, Simulator, load_sensors
from semipark.supervision import demo as supervision_demo
from semipark.supervision.models import AlarmRule, Reading, Sensor

from .mqtt_helpers import wait_for


@pytest.fixture
def demo_plant(park):
    return supervision_demo.load(park)


@pytest.mark.django_db
def test_a_leak_crosses_level_1_then_level_2_and_recedes(demo_plant):
    sims = load_sensors()
    simulator = Simulator(sink=None, seed=1)
    simulator.sensors = sims
    simulator._start_leak(now=0.0)
    sim, _ = simulator._leak
    assert sim.level1 is not None and sim.level2 > sim.level1
    values = [sim.value(0, simulator._leak_level(sim, t)) for t in range(0, LEAK_SECONDS, 2)]
    first_l1 = next(i for i, v in enumerate(values) if v >= sim.level1)
    first_l2 = next(i for i, v in enumerate(values) if v >= sim.level2)
    assert 0 < first_l1 <= first_l2
    assert values[-1] < sim.level1  # receded
    assert simulator._leak_level(sim, LEAK_SECONDS + 1) == 0 and simulator._leak is None


@pytest.mark.django_db
def test_a_silent_sensor_sends_nothing_for_a_while(demo_plant):
    simulator = Simulator(sink=None, seed=2)
    simulator.sensors = load_sensors()
    simulator._start_silence(now=0.0)
    sim, until = simulator._silent
    assert until >= 3 * sim.period  # long enough for a communication fault
    assert simulator._is_silent(sim, until - 0.1) and not simulator._is_silent(sim, until)


@pytest.mark.django_db(transaction=True)
def test_simulator_feeds_every_sensor_over_http(live_server, park):
    supervision_demo.load(park)
    sink = HttpSink(live_server.url)
    simulator = Simulator(sink, rate=60)
    try:
        import threading

        thread = threading.Thread(target=simulator.run, kwargs={"duration": 4}, daemon=True)
        thread.start()
        sensors = Sensor.objects.filter(active=True).count()
        wait_for(lambda: Reading.objects.values("sensor_id").distinct().count() == sensors, timeout=20)
        thread.join(10)
    finally:
        sink.close()
    assert AlarmRule.objects.exists()
