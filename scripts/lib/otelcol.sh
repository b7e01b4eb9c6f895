#!/usr/bin/env bash
# Builds a small OpenTelemetry Collector (the telemetry tests' peer, test/otel/*.full.test.ts) once,
# from the Go module proxy, into .cache/otelcol/<version>/, and prints the binary's path
# (idempotent; flock keeps two runs apart; which Go: scripts/lib/go-toolchain.sh). Core components only, all at one release: the OTLP
# receiver (gRPC and HTTP), the otlphttp exporter (a test reads what it posts as JSON) and the
# debug exporter. The main.go below is what the collector's builder would generate for them.
set -euo pipefail
VERSION=v0.165.0 # collector modules at v0.x; their stable siblings (confmap, ...) are at STABLE
STABLE=v1.71.0
root=$(cd "$(dirname "$0")/../.." && pwd)
cache=${LOADWORKER_CACHE:-$root/.cache}
source "$root/scripts/lib/go-toolchain.sh"
go_program otelcol "$VERSION"
src="$dir/src"
rm -rf "$src" && mkdir -p "$src"
cat >"$src/main.go" <<'GO'
// The test collector: OTLP in, otlphttp and debug out.
package main

import (
	"log"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/confmap"
	"go.opentelemetry.io/collector/confmap/provider/envprovider"
	"go.opentelemetry.io/collector/confmap/provider/fileprovider"
	"go.opentelemetry.io/collector/exporter"
	"go.opentelemetry.io/collector/exporter/debugexporter"
	"go.opentelemetry.io/collector/exporter/otlphttpexporter"
	"go.opentelemetry.io/collector/otelcol"
	"go.opentelemetry.io/collector/receiver"
	"go.opentelemetry.io/collector/receiver/otlpreceiver"
	"go.opentelemetry.io/collector/service/telemetry/otelconftelemetry"
)

func components() (otelcol.Factories, error) {
	var err error
	factories := otelcol.Factories{Telemetry: otelconftelemetry.NewFactory()}
	factories.Receivers, err = otelcol.MakeFactoryMap[receiver.Factory](otlpreceiver.NewFactory())
	if err != nil {
		return factories, err
	}
	factories.Exporters, err = otelcol.MakeFactoryMap[exporter.Factory](
		otlphttpexporter.NewFactory(), debugexporter.NewFactory())
	return factories, err
}

func main() {
	settings := otelcol.CollectorSettings{
		BuildInfo: component.BuildInfo{Command: "otelcol", Description: "loadworker's test collector", Version: "VERSION"},
		Factories: components,
		ConfigProviderSettings: otelcol.ConfigProviderSettings{
			ResolverSettings: confmap.ResolverSettings{
				ProviderFactories: []confmap.ProviderFactory{fileprovider.NewFactory(), envprovider.NewFactory()},
				DefaultScheme:     "env",
			},
		},
	}
	if err := otelcol.NewCommand(settings).Execute(); err != nil {
		log.Fatal(err)
	}
}
GO
sed -i "s/\"VERSION\"/\"${VERSION#v}\"/" "$src/main.go"
fail() { echo "error: building the OpenTelemetry Collector $VERSION from the Go module proxy failed ($1). Check that the proxy (GOPROXY) is reachable and retry." >&2; exit 3; }
(
  cd "$src"
  "$go" mod init loadworker.test/otelcol >&2
  "$go" get "go.opentelemetry.io/collector/otelcol@$VERSION" \
    "go.opentelemetry.io/collector/receiver/otlpreceiver@$VERSION" \
    "go.opentelemetry.io/collector/exporter/otlphttpexporter@$VERSION" \
    "go.opentelemetry.io/collector/exporter/debugexporter@$VERSION" \
    "go.opentelemetry.io/collector/confmap/provider/fileprovider@$STABLE" \
    "go.opentelemetry.io/collector/confmap/provider/envprovider@$STABLE" >&2
  "$go" mod tidy >&2
  "$go" build -trimpath -ldflags=-s -o "$bin.tmp" . >&2
) || fail "see above"
mv "$bin.tmp" "$bin"
echo "$bin"
