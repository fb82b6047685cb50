from __future__ import annotations

import os
import signal
import subprocess
import sys

from grpc_health.v1 import health_pb2, health_pb2_grpc

from common.tls import TlsIdentity
from tests.support import free_port
from tools.local_secrets import prepare


async def test_python_dash_m_device_service_serves_health_and_stops_on_sigterm(tmp_path):
    port = free_port()
    prepare(tmp_path / "secrets")
    env = dict(
        os.environ,
        DEVICE_ADDRESS=f"127.0.0.1:{port}",
        DEVICE_METRICS_PORT="0",
        REMOTESIGNOUT_DATA_DIR=str(tmp_path),
        GRACE_SECONDS="0",
    )
    process = subprocess.Popen([sys.executable, "-m", "device_service"], env=env, stderr=subprocess.PIPE)
    try:
        operator = TlsIdentity.from_dir("operator", tmp_path / "secrets" / "pki")
        async with operator.channel(f"127.0.0.1:{port}", "device_service") as channel:
            health = health_pb2_grpc.HealthStub(channel)
            answer = await health.Check(
                health_pb2.HealthCheckRequest(service="remotesignout.device.v1.DeviceService"),
                timeout=30,
                wait_for_ready=True,
            )
        assert answer.status == health_pb2.HealthCheckResponse.SERVING
        assert (tmp_path / "device_service.db").exists()
    finally:
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=30)
    assert process.returncode == 0, stderr.decode()
