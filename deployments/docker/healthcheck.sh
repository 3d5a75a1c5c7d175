#!/bin/sh
# HEALTHCHECK of the cryptoutil image: `cryptoutil <product> health livez`. The admin listener
# binds loopback only and is never published (ARCHITECTURE §2), so this probe, running inside
# the container, is the one place that reaches it. CRYPTOUTIL_PRODUCT names the product and
# CRYPTOUTIL_CONFIG the config file(s) the server started with (space-separated), from which the
# probe takes admin.address, admin.port and the CA of the tls section.
set -eu
product=${CRYPTOUTIL_PRODUCT:?CRYPTOUTIL_PRODUCT must name the product to probe}
set -- "$product" health livez
for file in ${CRYPTOUTIL_CONFIG:-}; do
  set -- "$@" -c "$file"
done
exec cryptoutil "$@"
