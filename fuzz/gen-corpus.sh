#!/usr/bin/env bash
# Regenerates fuzz/fixtures/ and the seed corpora in fuzz/corpus/<target>/:
# valid inputs from our own code (crates/crypto/examples/fuzz_seeds.rs) and a
# few made by OpenSSL (a foreign encoder). Run from anywhere; needs `openssl`.
# The fixtures are a fresh throw-away PKI each time, so regenerate both together.
set -euo pipefail
fuzz="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$fuzz")"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

rm -rf "$fuzz/corpus"
for f in root.der issuing.der recipient.der recipient-key.pem issuing-crl.der; do rm -f "$fuzz/fixtures/$f"; done
cargo run --quiet --manifest-path "$root/Cargo.toml" -p dossier-crypto --example fuzz_seeds -- "$fuzz" "$work"

cd "$work"
c="$fuzz/corpus"
content="$fuzz/fixtures/content.txt"
for k in issuing signer tsa; do
  openssl pkey -passin pass:1234 -in "$k-key.pem" -out "$k-plain.pem"
done

# cms_verify: OpenSSL-made SignedData (its own attribute set and ordering), attached and detached.
openssl cms -sign -binary -nodetach -md sha256 -in "$content" -signer signer.pem -inkey signer-plain.pem \
  -certfile issuing.pem -outform DER -out "$c/cms_verify/openssl-attached.p7s"
openssl cms -sign -binary -md sha384 -keyid -in "$content" -signer signer.pem -inkey signer-plain.pem \
  -certfile issuing.pem -outform DER -out "$c/cms_verify/openssl-detached-keyid.p7s"

# envelope_decrypt: OpenSSL-made EnvelopedData (DER, and BER from -stream), AES-128, rKeyId and a SHA-384 KDF.
openssl cms -encrypt -binary -aes-128-cbc -in "$content" -recip recipient.pem -keyopt ecdh_kdf_md:sha256 \
  -outform DER -out "$c/envelope_decrypt/openssl-aes128.p7m"
openssl cms -encrypt -binary -aes-256-cbc -keyid -in "$content" -recip recipient.pem -keyopt ecdh_kdf_md:sha384 \
  -outform DER -out "$c/envelope_decrypt/openssl-keyid-sha384.p7m"
openssl cms -encrypt -binary -stream -aes-256-cbc -in "$content" -recip recipient.pem -keyopt ecdh_kdf_md:sha256 \
  -outform DER -out "$c/envelope_decrypt/openssl-stream-ber.p7m"

# tsp_request: OpenSSL's time-stamp queries.
openssl ts -query -data "$content" -sha256 -cert -out "$c/tsp_request/openssl-cert.tsq"
openssl ts -query -data "$content" -sha384 -no_nonce -out "$c/tsp_request/openssl-nononce.tsq"

# csr: PKCS#10 requests, DER and PEM, P-256 and P-384.
mkdir -p "$c/csr"
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout /dev/null -subj "/CN=Fuzz CSR/O=Dossier Test/C=UA" \
  -outform DER -out "$c/csr/p256.der" 2>/dev/null
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-384 -nodes -keyout /dev/null -subj "/CN=Fuzz CSR 384" \
  -sha384 -out "$c/csr/p384.pem" 2>/dev/null

# crl: the issuing CA's CRL with one revoked certificate, DER and PEM.
cat > ca.cnf <<'EOF'
[ca]
default_ca = fuzz
[fuzz]
database = index.txt
crlnumber = crlnumber
default_md = sha256
default_crl_days = 30
EOF
: > index.txt
echo 01 > crlnumber
openssl ca -config ca.cnf -keyfile issuing-plain.pem -cert issuing.pem -revoke revoked.pem -crl_reason keyCompromise 2>/dev/null
openssl ca -config ca.cnf -keyfile issuing-plain.pem -cert issuing.pem -gencrl -out crl.pem 2>/dev/null
cp crl.pem "$c/crl/issuing-crl.pem"
openssl crl -in crl.pem -outform DER -out "$c/crl/issuing-crl.der"
cp "$c/crl/issuing-crl.der" "$fuzz/fixtures/issuing-crl.der"

# container: OpenSSL-made encrypted PKCS#8 (PBKDF2 with a small count; scrypt with a small N).
openssl pkcs8 -topk8 -in signer-plain.pem -passout pass:1234 -v2 aes-256-cbc -iter 1000 -out "$c/container/openssl-pbkdf2.pem"
openssl pkcs8 -topk8 -in signer-plain.pem -passout pass:1234 -scrypt -scrypt_N 1024 -scrypt_r 8 -scrypt_p 1 \
  -out "$c/container/openssl-scrypt.pem"
# The same keys as raw DER (the target also reads its input as DER).
for f in "$c"/container/*.pem; do sed '1d;$d' "$f" | base64 -d > "${f%.pem}.der"; done

ls -l "$c"/*
