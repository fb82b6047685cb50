"""python -m device_service: serve DeviceService on DEVICE_ADDRESS."""

import asyncio

from device_service.entrypoints.server import main

asyncio.run(main())
