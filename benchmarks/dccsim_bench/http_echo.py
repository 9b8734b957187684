"""The HTTP baseline for `dccsim bench --mode http`: an aiohttp server that answers every POST
to `/api/v1/serviceS|T|D` with a pre-built DUIS answer and does no other work, served as
`dccsim serve` serves DUIS (aiohttp's AppRunner and TCPSite, no access log), so the difference
between the two is what dccsim itself costs over the HTTP library.

    python -m dccsim.bench.http_echo --port 0

prints `echo serving on HOST:PORT pids PID` once it listens.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal

from aiohttp import web

# What dccsim answers a device read with over HTTP: an I99 acknowledgement signed by the DSP
# (made by dccsim with a throwaway test PKI), so the baseline sends as many bytes as dccsim does.
ANSWER = (
    b"<?xml version='1.0' encoding='UTF-8'?>\n<sr:Response xmlns:sr=\"http://www.dccinterface."
    b'co.uk/ServiceUserGateway" schemaVersion="5.2"><sr:Header><sr:RequestID>90-B3-D5-1F-31-'
    b"00-00-00:00-DC-00-00-00-00-00-01:1764633600000000</sr:RequestID><sr:ResponseCode>I99</"
    b"sr:ResponseCode><sr:ResponseDateTime>2026-01-01T00:00:00.000Z</sr:ResponseDateTime></s"
    b"r:Header><sr:Body><sr:ResponseMessage><sr:ServiceReference>4.1</sr:ServiceReference><s"
    b"r:ServiceReferenceVariant>4.1.1</sr:ServiceReferenceVariant></sr:ResponseMessage></sr:"
    b'Body><ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignedInfo><ds:Ca'
    b'nonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/><ds:Signatur'
    b'eMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256"/><ds:Reference'
    b' URI=""><ds:Transforms><ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enve'
    b'loped-signature"/></ds:Transforms><ds:DigestMethod Algorithm="http://www.w3.org/2001/0'
    b'4/xmlenc#sha256"/><ds:DigestValue>Qm38AvnDo7uuC3RXQk/2ubL4fvDJAAPwBgGFBVQbtH8=</ds:Dig'
    b"estValue></ds:Reference></ds:SignedInfo><ds:SignatureValue>zI+cdJJr4tzRr+QTOZLFJe9btYW"
    b"w2J8FT/NUL5bB68aVdyv/0GR809xnsv2cdO9hOX4t8qbuU3HW&#13;\nchfuwaok3A==</ds:SignatureValue"
    b"><ds:KeyInfo><ds:X509Data><ds:X509IssuerSerial><ds:X509IssuerName>CN=DCCSIM1,OU=07</ds"
    b":X509IssuerName><ds:X509SerialNumber>105720388083548096286647843843330580199</ds:X509S"
    b"erialNumber></ds:X509IssuerSerial></ds:X509Data></ds:KeyInfo></ds:Signature></sr:Respo"
    b"nse>"
)
XML = "application/xml"


async def _answer(request: web.Request) -> web.Response:
    await request.read()  # the whole body, as dccsim reads it
    return web.Response(body=ANSWER, content_type=XML)


def echo_app() -> web.Application:
    app = web.Application(client_max_size=16 * 1024 * 1024)
    app.add_routes(
        [
            web.post(f"/api/v1/{service}", _answer)
            for service in ("serviceS", "serviceT", "serviceD")
        ]
    )
    return app


async def serve(host: str, port: int) -> None:
    runner = web.AppRunner(echo_app(), access_log=None, handle_signals=False)
    await runner.setup()
    site = web.TCPSite(runner, host, port)
    await site.start()
    bound = runner.addresses[-1][1]
    print(f"echo serving on {host}:{bound} pids {os.getpid()}", flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    await stop.wait()
    await runner.cleanup()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m dccsim.bench.http_echo", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args(argv)
    asyncio.run(serve(args.host, args.port))


if __name__ == "__main__":
    main()
