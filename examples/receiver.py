"""A User's Receive Response Service: where dccsim (or DCC Boxed) POSTs the User's asynchronous
DUIS responses and alerts (BOXED-02). Each POST's body is saved in FOLDER as NNNN-WHAT.xml (WHAT:
the response's ServiceReferenceVariant, such as 11.2, or the alert's code, such as N28 or 8F72)
and answered 200, so the sender goes on to the next one.

    python examples/receiver.py [--listen 127.0.0.1:1880] [--path /smartdcc/duis] FOLDER

Point a User at it: `dccsim serve --receive-url USER=http://127.0.0.1:1880/smartdcc/duis`. Ctrl-C
stops it. It needs only aiohttp, which dccsim installs."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import re
from pathlib import Path

from aiohttp import web

# An alert's code first: a future-dated command's outcome alert also names the SRV it answers.
ALERT = re.compile(
    rb"<(?:\w+:)?(?:DCCAlertCode|AlertCode|FutureDatedAlertCode)>([0-9A-Za-z]{1,16})<"
)
SRV = re.compile(rb"<(?:\w+:)?ServiceReferenceVariant>([0-9.]{1,16})<")


def file_name(number: int, body: bytes) -> str:
    found = ALERT.search(body) or SRV.search(body)
    return f"{number:04d}-{found.group(1).decode() if found else 'document'}.xml"


async def serve(folder: Path, host: str, port: int, path: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    numbers = itertools.count(len(list(folder.glob("*.xml"))) + 1)

    async def receive(request: web.Request) -> web.Response:
        body = await request.read()
        saved = folder / file_name(next(numbers), body)
        saved.write_bytes(body)
        print(f"saved {saved} ({len(body)} bytes)", flush=True)
        return web.Response(status=200)

    app = web.Application(client_max_size=16 * 1024 * 1024)
    app.router.add_post(path, receive)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, host, port).start()
    port = runner.addresses[0][1]  # the one it got, when asked for 0
    print(f"receiving on http://{host}:{port}{path}, saving to {folder}/", flush=True)
    try:
        await asyncio.Event().wait()  # until Ctrl-C
    finally:
        await runner.cleanup()


def main() -> None:
    parser = argparse.ArgumentParser(description="Save each DUIS document POSTed to FOLDER.")
    parser.add_argument("folder", type=Path, metavar="FOLDER")
    parser.add_argument("--listen", default="127.0.0.1:1880", metavar="HOST:PORT")
    parser.add_argument("--path", default="/smartdcc/duis", help="the URL path POSTed to")
    args = parser.parse_args()
    host, _, port = args.listen.rpartition(":")
    with contextlib.suppress(KeyboardInterrupt):  # Ctrl-C: stop quietly
        asyncio.run(serve(args.folder, host, int(port), args.path))


if __name__ == "__main__":
    main()
