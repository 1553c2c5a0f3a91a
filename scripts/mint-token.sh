#!/usr/bin/env bash
# Mints an HS256 JWT for the first symmetric (oct) key of a JWKS: the chart's generated signing key (the Secret
# <fullname>-jwt), or any JWKS with an oct key. Prints the token on stdout. Needs bash and openssl (and kubectl for
# --secret); the key never leaves this machine.
#
#   scripts/mint-token.sh --secret company-service1-jwt --namespace apps \
#     --issuer company-service1 --audience company-service1 --subject me --scope 'todos:read todos:write'
#   scripts/mint-token.sh --jwks jwks.json --issuer ISS --audience AUD --lifetime 600
#
# Options:
#   --jwks FILE         read the JWKS from a file ...
#   --secret NAME       ... or from a Secret in the cluster (kubectl's current context)
#   --namespace NS      namespace of that Secret (default: kubectl's current one)
#   --key KEY           key of the JWKS inside the Secret (default: jwks, as the chart names it)
#   --issuer ISS        iss claim (required: the chart's authentication.issuer, by default the release's full name)
#   --audience AUD      aud claim (required: authentication.audience, by default the release's full name)
#   --subject SUB       sub claim (default: the user running the script)
#   --scope SCOPES      scope claim, space-separated (default: none)
#   --lifetime SECONDS  seconds until exp (default: 3600); nbf and iat are now
set -euo pipefail

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit 2; }
fail() { printf 'mint-token: %s\n' "$*" >&2; exit 1; }

jwks_file='' secret='' namespace='' key=jwks issuer='' audience='' subject=${USER:-$(id -un)} scope='' lifetime=3600
while (($#)); do
  (($# >= 2)) || usage
  case $1 in
    --jwks) jwks_file=$2 ;;
    --secret) secret=$2 ;;
    --namespace) namespace=$2 ;;
    --key) key=$2 ;;
    --issuer) issuer=$2 ;;
    --audience) audience=$2 ;;
    --subject) subject=$2 ;;
    --scope) scope=$2 ;;
    --lifetime) lifetime=$2 ;;
    *) usage ;;
  esac
  shift 2
done
if [[ (-z $jwks_file && -z $secret) || (-n $jwks_file && -n $secret) ]]; then fail "give exactly one of --jwks FILE and --secret NAME"; fi
[[ -n $issuer && -n $audience ]] || fail "--issuer and --audience are required"
[[ $lifetime =~ ^[1-9][0-9]*$ ]] || fail "--lifetime must be a positive number of seconds"

b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }
# A JSON string literal: backslashes and quotes escaped (control characters are refused).
json_string() {
  [[ $1 != *[[:cntrl:]]* ]] || fail "claim values may not contain control characters"
  local value=${1//\\/\\\\}
  printf '"%s"' "${value//\"/\\\"}"
}

if [[ -n $secret ]]; then
  kubectl_args=(get secret "$secret" -o "jsonpath={.data.${key//./\\.}}")
  [[ -z $namespace ]] || kubectl_args=(--namespace "$namespace" "${kubectl_args[@]}")
  encoded=$("${KUBECTL:-kubectl}" "${kubectl_args[@]}") || fail "cannot read Secret $secret"
  [[ -n $encoded ]] || fail "Secret $secret has no key $key"
  jwks=$(printf '%s' "$encoded" | openssl base64 -d -A)
else
  jwks=$(<"$jwks_file")
fi

# The first key object with "kty":"oct" (a flat JSON object: no nesting inside a JWK of this kind).
compact=$(printf '%s' "$jwks" | tr -d ' \t\r\n')
oct=''
while [[ $compact =~ \{([^{}]*)\}(.*) ]]; do
  compact=${BASH_REMATCH[2]}
  if [[ ${BASH_REMATCH[1]} == *'"kty":"oct"'* ]]; then
    oct=${BASH_REMATCH[1]}
    break
  fi
done
[[ -n $oct ]] || fail "the JWKS has no symmetric (oct) key: an RSA or EC key's tokens come from its identity provider"
[[ $oct =~ \"k\":\"([A-Za-z0-9_-]+)\" ]] || fail "the oct key has no k"
k=${BASH_REMATCH[1]}
kid=''
if [[ $oct =~ \"kid\":\"([^\"]*)\" ]]; then kid=${BASH_REMATCH[1]}; fi

# base64url -> the key's bytes as hex (openssl's HMAC takes a binary key that way).
padded=$(printf '%s' "$k" | tr -- '-_' '+/')
while ((${#padded} % 4)); do padded+='='; done
hex_key=$(printf '%s' "$padded" | openssl base64 -d -A | od -An -v -tx1 | tr -d ' \n')
((${#hex_key} >= 64)) || fail "the oct key is shorter than 256 bits"

now=$(date +%s)
header="{\"alg\":\"HS256\",\"typ\":\"JWT\"${kid:+,\"kid\":$(json_string "$kid")}}"
payload="{\"iss\":$(json_string "$issuer"),\"aud\":$(json_string "$audience"),\"sub\":$(json_string "$subject")"
[[ -z $scope ]] || payload+=",\"scope\":$(json_string "$scope")"
payload+=",\"iat\":$now,\"nbf\":$now,\"exp\":$((now + lifetime))}"

signing_input="$(printf '%s' "$header" | b64url).$(printf '%s' "$payload" | b64url)"
signature=$(printf '%s' "$signing_input" | openssl dgst -sha256 -mac HMAC -macopt "hexkey:$hex_key" -binary | b64url)
printf '%s.%s\n' "$signing_input" "$signature"
