#!/usr/bin/env bash
# A local HTTP/2 server for this example: nginx over TLS (h2 by ALPN) with a self-signed
# certificate made on the spot, on 127.0.0.1 only. It serves / and /api/widgets/NAME, and logs each
# request with nginx's connection number and protocol (to see the streams share a connection).
# Needs nginx (Debian: apt-get install nginx) and openssl. Ctrl-C stops it.
# usage: bash examples/http2/serve.sh [PORT=8443]
set -euo pipefail
port=${1:-8443}
nginx=$(command -v nginx || ls /usr/sbin/nginx 2>/dev/null) || { echo "serve.sh needs nginx: apt-get install nginx" >&2; exit 3; }
dir=$(mktemp -d "${TMPDIR:-/tmp}/http2-example-XXXXXX")
chmod 755 "$dir"
mkdir -p "$dir/logs"
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost \
  -addext subjectAltName=DNS:localhost,IP:127.0.0.1 -keyout "$dir/key.pem" -out "$dir/cert.pem" 2>/dev/null
cat >"$dir/nginx.conf" <<CONF
worker_processes 1;
error_log $dir/logs/error.log warn;
pid $dir/nginx.pid;
events { worker_connections 1024; }
http {
  log_format conns '\$request_uri \$connection \$server_protocol \$status';
  access_log $dir/logs/access.log conns;
  server {
    listen 127.0.0.1:$port ssl http2;
    ssl_certificate $dir/cert.pem;
    ssl_certificate_key $dir/key.pem;
    default_type application/json;
    location = / { default_type text/html; return 200 "<h1>dashboard</h1>\n"; }
    location /api/widgets/ { return 200 '{"widget":"\$uri","value":42}\n'; }
  }
}
CONF
echo "serving https://127.0.0.1:$port over HTTP/2 (access log: $dir/logs/access.log)"
exec "$nginx" -p "$dir" -c "$dir/nginx.conf" -g "daemon off;"
