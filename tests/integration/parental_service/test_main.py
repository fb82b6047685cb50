import asyncio
import os
import signal
import sys

from grpc_health.v1 import health_pb2, health_pb2_grpc

from common.tls import TlsIdentity
from tests.support import free_port
from tools.local_secrets import prepare


async def test_python_dash_m_serves_health_and_stops_cleanly_on_sigterm(tmp_path):
    port = free_port()
    prepare(tmp_path / "secrets")
    env = {
        **os.environ,
        "PARENTAL_ADDRESS": f"127.0.0.1:{port}",
        "PARENTAL_PIN_PEPPER_FILE": "",
        "PARENTAL_METRICS_PORT": "0",
        "REMOTESIGNOUT_DATA_DIR": str(tmp_path),
        "GRACE_SECONDS": "1",
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "parental_service",
        env=env,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        operator = TlsIdentity.from_dir("operator", tmp_path / "secrets" / "pki")
        async with operator.channel(f"127.0.0.1:{port}", "parental_service") as chan:
            await asyncio.wait_for(chan.channel_ready(), timeout=20)
            response = await health_pb2_grpc.HealthStub(chan).Check(
                health_pb2.HealthCheckRequest(service="remotesignout.parental.v1.ParentalService"), timeout=5
            )
        assert response.status == health_pb2.HealthCheckResponse.SERVING
        assert (tmp_path / "parental_service.db").exists()
    finally:
        process.send_signal(signal.SIGTERM)
        _, stderr = await asyncio.wait_for(process.communicate(), timeout=20)
    assert process.returncode == 0, stderr.decode()


async def test_python_dash_m_refuses_to_start_without_the_pin_pepper_file(tmp_path):
    env = {
        **os.environ,
        "PARENTAL_ADDRESS": f"127.0.0.1:{free_port()}",
        "PARENTAL_METRICS_PORT": "0",
        "REMOTESIGNOUT_DATA_DIR": str(tmp_path),
        "PARENTAL_PIN_PEPPER_FILE": str(tmp_path / "no-such-file"),
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "parental_service",
        env=env,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    _, stderr = await asyncio.wait_for(process.communicate(), timeout=20)
    assert process.returncode != 0
    assert "PARENTAL_PIN_PEPPER_FILE" in stderr.decode()
    assert not (tmp_path / "no-such-file").exists(), "the service never creates its own pepper"
