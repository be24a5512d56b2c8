#!/usr/bin/env bash
# Applies and destroys the root module against a local moto server (an AWS-API-compatible
# endpoint), in a scratch copy, with providers from the local mirror only (the committed lock
# file must match it). Two passes: the defaults, then every optional resource switched on
# (customer-managed key for all data, email alert subscriptions, role path and boundary).
#   terraform/tests/endpoint/apply-against-moto.sh [provider mirror dir]
# Needs: terraform, python3 with moto[server] (5.2.1 checked), the trigger jar (./mvnw -B package;
# the test fixture jar otherwise).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../../.." && pwd)"
MIRROR="${1:-${TF_PLUGIN_DIR:-/opt/tf-plugins}}"
PORT="${MOTO_PORT:-5055}"
JAR="$ROOT/lambdas/sfn-trigger/target/sfn-trigger.jar"
[[ -f "$JAR" ]] || JAR="$ROOT/terraform/tests/fixtures/sfn-trigger.jar"

WORK="$(mktemp -d)"
python3 "$HERE/moto_server.py" "$PORT" >"$WORK/moto.log" 2>&1 &
MOTO_PID=$!
trap 'kill "$MOTO_PID" 2>/dev/null || true; rm -rf "$WORK"' EXIT
for _ in $(seq 60); do curl -sf "http://127.0.0.1:$PORT/moto-api/" >/dev/null && break; sleep 1; done

mkdir -p "$WORK/terraform" "$WORK/batch"
cp "$ROOT"/terraform/*.tf "$ROOT/terraform/queues.json" "$ROOT/terraform/.terraform.lock.hcl" "$WORK/terraform/"
cp -r "$ROOT/statemachine" "$WORK/"
for d in "$ROOT"/batch/*/; do
  if [[ -f "$d/job-definition.json" ]]; then
    mkdir -p "$WORK/batch/$(basename "$d")"; cp "$d/job-definition.json" "$WORK/batch/$(basename "$d")/"
  fi
done
cat >"$WORK/terraform/endpoint_override.tf" <<'HCL'
provider "aws" {
  access_key                  = "test"
  secret_key                  = "test"
  skip_credentials_validation = true
  skip_metadata_api_check     = true
  skip_requesting_account_id  = true
  s3_use_path_style           = true
}
HCL

export AWS_ENDPOINT_URL="http://127.0.0.1:$PORT" CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1 TF_CLI_CONFIG_FILE=/dev/null
cd "$WORK/terraform"
terraform init -backend=false -input=false -no-color -lockfile=readonly -plugin-dir="$MIRROR" >/dev/null

# moto needs Batch's service role to exist before a compute environment names it.
COMMON=(-input=false -no-color -var "trigger_artifact_path=$JAR" -var create_batch_service_linked_role=true)
ALL_ON=(-var kms_encrypt_data=true -var 'alert_email_addresses=["ops@example.com"]'
  -var iam_role_path=/hsi-pipeline/ -var iam_permissions_boundary_arn=arn:aws:iam::123456789012:policy/boundary)

echo "== pass 1: defaults"
terraform apply -auto-approve "${COMMON[@]}"
terraform destroy -auto-approve "${COMMON[@]}"
echo "== pass 2: customer-managed key for all data, email alerts, role path and boundary"
terraform apply -auto-approve "${COMMON[@]}" "${ALL_ON[@]}"
terraform destroy -auto-approve "${COMMON[@]}" "${ALL_ON[@]}"
