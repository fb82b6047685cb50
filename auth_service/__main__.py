import asyncio

from auth_service.entrypoints.server import main

asyncio.run(main())
