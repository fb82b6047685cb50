"""gateway: the thin HTTP/JSON and Server-Sent Events front of auth_service,
device_service and parental_service. It owns nothing durable."""
