from aiohttp import web

from tests.integration.gateway.conftest import bearer


async def test_health_is_ok_with_every_service_serving(stack):
    response = await stack.client.get("/healthz")
    assert response.status == 200
    assert await response.json() == {
        "status": "ok",
        "services": {"auth_service": "SERVING", "device_service": "SERVING", "parental_service": "SERVING"},
    }


async def test_health_is_503_when_a_service_is_not_serving(stack):
    await stack.servers["parental"].stop(0)
    response = await stack.client.get("/healthz")
    assert response.status == 503
    body = await response.json()
    assert body["status"] == "unavailable"
    assert body["services"]["auth_service"] == "SERVING"
    assert body["services"]["parental_service"] != "SERVING"


async def test_a_service_that_is_down_makes_its_routes_503_json(stack):
    await stack.servers["auth"].stop(0)
    response = await stack.client.post("/v1/accounts", json={"email": "a@b.c", "password": "correct horse"})
    assert response.status == 503
    error = (await response.json())["error"]
    assert error["code"] == "unavailable"
    assert "127.0.0.1" not in error["message"]


async def test_metrics_are_served_in_prometheus_format(stack):
    response = await stack.client.get("/metrics")
    assert response.status == 200
    text = await response.text()
    assert "remotesignout_sign_out_duration_seconds" in text
    assert "remotesignout_fanout_failures" in text


async def test_the_openapi_document_describes_every_route(stack):
    response = await stack.client.get("/openapi.json")
    assert response.status == 200
    document = await response.json()
    assert document["openapi"].startswith("3.1")
    routes = {
        (r.method.lower(), r.resource.canonical)
        for r in stack.client.app.router.routes()
        if r.resource is not None and not isinstance(r.resource, web.StaticResource) and r.method != "HEAD"
    }
    described = {(method, path) for path, ops in document["paths"].items() for method in ops}
    assert routes == described
    operations = [op for ops in document["paths"].values() for op in ops.values()]
    tags = {tag["name"] for tag in document["tags"]}
    assert len({op["operationId"] for op in operations}) == len(operations)
    for op in operations:
        assert op["summary"] and set(op["tags"]) <= tags and op["tags"], op["operationId"]
        media = [
            *op.get("requestBody", {}).get("content", {}).values(),
            *(c for r in op["responses"].values() for c in r.get("content", {}).values()),
        ]
        assert any("example" in m for m in media) or any("example" in p for p in op.get("parameters", [])), op


async def test_the_root_serves_the_web_page(stack):
    response = await stack.client.get("/")
    assert response.status == 200
    assert response.headers["Content-Type"].startswith("text/html")
    assert "<html" in (await response.text()).lower()


async def test_hostile_bodies_and_queries_get_4xx_never_500(stack):
    tokens = await stack.sign_in()
    deep = await stack.client.post("/v1/accounts", data=b"[" * 50_000, headers={"Content-Type": "application/json"})
    assert deep.status == 400 and (await deep.json())["error"]["code"] == "invalid_json"
    for query in ["page_size=%C2%B2", "page_size=0", "page_size=99999999999999999999999"]:
        response = await stack.client.get(f"/v1/devices?{query}", headers=bearer(tokens))
        assert response.status == 422, query
