"""A tiny local SMTP server that accepts every message and counts it (asyncio, no dependencies).

In-process: `sink = SmtpSink(); sink.start()` (a daemon thread), `sink.messages`, `sink.connections`.
Standalone, for real Celery workers: `python -m bench.smtp_sink --port 2525`.
"""

import argparse
import asyncio
import threading
import time


class SmtpSink:
    def __init__(self, host: str = "127.0.0.1", port: int = 0):
        self.host, self.port = host, port
        self.messages = 0
        self.connections = 0
        self._loop = asyncio.new_event_loop()

    async def _session(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        writer.write(b"220 bench-sink ESMTP\r\n")
        in_data = False
        try:
            while line := await reader.readline():
                if in_data:
                    if line.rstrip(b"\r\n") == b".":
                        in_data = False
                        self.messages += 1
                        writer.write(b"250 2.0.0 queued\r\n")
                    continue
                command = line[:4].upper()
                if command == b"EHLO":
                    writer.write(b"250-bench-sink\r\n250-8BITMIME\r\n250-SMTPUTF8\r\n250 SIZE 52428800\r\n")
                elif command == b"DATA":
                    in_data = True
                    writer.write(b"354 end with <CRLF>.<CRLF>\r\n")
                elif command == b"QUIT":
                    writer.write(b"221 bye\r\n")
                    break
                elif command in (b"HELO", b"MAIL", b"RCPT", b"RSET", b"NOOP"):
                    writer.write(b"250 OK\r\n")
                else:
                    writer.write(b"502 not implemented\r\n")
                await writer.drain()
        finally:
            await writer.drain()
            writer.close()

    def start(self) -> "SmtpSink":
        server = self._loop.run_until_complete(
            asyncio.start_server(self._session, self.host, self.port, limit=2**20)
        )
        self.port = server.sockets[0].getsockname()[1]
        threading.Thread(target=self._loop.run_forever, daemon=True, name="smtp-sink").start()
        return self

    def stop(self) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)


def main() -> None:
    parser = argparse.ArgumentParser(description="Local SMTP sink that counts messages")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=2525)
    args = parser.parse_args()
    sink = SmtpSink(args.host, args.port).start()
    print(f"SMTP sink listening on {sink.host}:{sink.port} (Ctrl+C to stop)", flush=True)
    last = -1
    try:
        while True:
            time.sleep(5)
            if sink.messages != last:
                last = sink.messages
                print(f"{sink.messages} messages over {sink.connections} connections", flush=True)
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
