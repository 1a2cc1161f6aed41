"""paho-mqtt's client with read-ahead: no Django here, so load generators and benchmarks can use it."""

import paho.mqtt.client as mqtt


class ReadAheadSocket:
    """A plain socket read 64 KiB at a time, handing paho the few bytes it asks for.

    paho reads each packet in three or more recv() calls (the command byte, the length, the body); on a stream of
    small telemetry messages those system calls cost more than the messages. ``pending()`` is the hook paho's loop
    already uses for TLS: while bytes are buffered it does not wait in select().
    """

    __slots__ = ("_buffer", "_position", "_sock")

    def __init__(self, sock):
        self._sock = sock
        self._buffer = b""
        self._position = 0

    def recv(self, size: int) -> bytes:
        if self._position >= len(self._buffer):
            data = self._sock.recv(65_536)
            if len(data) <= size:
                return data
            self._buffer, self._position = data, 0
        end = min(self._position + size, len(self._buffer))
        chunk = self._buffer[self._position : end]
        self._position = end
        return chunk

    def pending(self) -> int:
        return len(self._buffer) - self._position

    def __getattr__(self, name):
        return getattr(self._sock, name)


class Client(mqtt.Client):
    """paho's client with read-ahead on plain TCP connections (TLS sockets buffer by themselves)."""

    def _create_socket(self):
        sock = super()._create_socket()
        return sock if hasattr(sock, "pending") else ReadAheadSocket(sock)
