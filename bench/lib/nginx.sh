# Shared by the benchmarks: an nginx on one core serving a small static body over keep-alive.
# Usage: source bench/lib/nginx.sh; start_nginx RUN_DIR PORT [EXTRA_NGINX_LOCATION_LINES]
# Sets NGINX_PID. Needs nginx (apt-get install nginx) and taskset.

start_nginx() {
  local run=$1 port=$2 extra=${3:-}
  mkdir -p "$run/logs" "$run/html"
  printf 'hello from nginx, a small static body for the load generators.\n' > "$run/html/index.html"
  cat > "$run/nginx.conf" <<CONF
worker_processes 1;
worker_rlimit_nofile 32768;
error_log $PWD/$run/logs/error.log warn;
pid $PWD/$run/nginx.pid;
events { worker_connections 16384; }
http {
  access_log off;
  keepalive_requests 100000000;
  keepalive_timeout 300s;
  server {
    listen 127.0.0.1:$port backlog=4096;
    root $PWD/$run/html;
    location / { index index.html; }
    $extra
  }
}
CONF
  ulimit -n "$(ulimit -Hn)" 2>/dev/null || true # 10,000 users need 10,000 descriptors in nginx and in the worker
  taskset -c 0 nginx -p "$PWD/$run" -c "$PWD/$run/nginx.conf" -g 'daemon off;' &
  NGINX_PID=$!
}
