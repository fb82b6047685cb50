#!/bin/sh
# One role and one database per service, each owned by its role (compose.yaml mounts this into
# /docker-entrypoint-initdb.d: the postgres image runs it once, when its volume is still empty).
# A service's role can reach its own database and no other, so a compromised device_service cannot read
# auth_service's sessions. Tables come later, from the `migrate` job (Alembic, one history per service).
#
# SERVICE_DATABASES: "name:password name:password ..." (compose.yaml builds it from .env).
set -eu

for entry in $SERVICE_DATABASES; do
    name=${entry%%:*}
    password=${entry#*:}
    psql --set ON_ERROR_STOP=1 --no-psqlrc --quiet \
        --username "$POSTGRES_USER" --dbname postgres \
        --set name="$name" --set password="$password" <<'SQL'
CREATE ROLE :"name" LOGIN PASSWORD :'password';
CREATE DATABASE :"name" OWNER :"name";
REVOKE ALL ON DATABASE :"name" FROM PUBLIC;
SQL
done
