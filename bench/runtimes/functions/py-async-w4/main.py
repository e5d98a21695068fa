import asyncio


async def handler(context, event):
    await asyncio.sleep(0.005)  # models I/O
    return "hello"
