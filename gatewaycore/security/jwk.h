// JSON Web Keys (RFC 7517/7518/8037) as OpenSSL keys: parsing JWKs and JWK Sets, public keys from
// PEM, HMAC secrets, and the public JWK of a key pair the gateway generated.
#pragma once

#include "base/result.h"

#include <QByteArray>
#include <QJsonObject>
#include <QLatin1StringView>
#include <QList>
#include <QString>
#include <QStringList>

#include <openssl/types.h>

#include <memory>
#include <optional>

namespace Gatehouse {

enum class JwsAlgorithm {
    RS256 = 1, RS384, RS512,
    PS256, PS384, PS512,
    ES256, ES384, ES512,
    EdDSA,
    HS256, HS384, HS512,
};

// Exact, case-sensitive registry names ("RS256"); nullopt for anything else, "none" included.
std::optional<JwsAlgorithm> jwsAlgorithmFromName(QStringView name);
QLatin1StringView jwsAlgorithmName(JwsAlgorithm alg);

enum class JwkType { Rsa = 1, Ec, Okp, Oct };

// A verification key. Immutable once built; shared by every worker thread.
struct Jwk
{
    QString kid;                          // lookup key only; empty when the source had none
    JwkType type = JwkType::Rsa;
    std::optional<JwsAlgorithm> alg;      // the JWK's "alg": then the only algorithm it verifies
    std::shared_ptr<EVP_PKEY> key;        // RSA, EC, OKP public key
    QByteArray secret;                    // oct (HMAC) key bytes
    JwsAlgorithm ecAlgorithm = JwsAlgorithm::ES256;   // EC: the one algorithm its curve signs

    // Whether this key may verify a signature made with `alg`: the key's type (and curve) must
    // match and, when the JWK names an algorithm, it must be that one. Empty when allowed, else a
    // sentence ("key 'k1' is an RSA key, not an HMAC secret").
    QString refuses(JwsAlgorithm alg) const;
};

// One JWK. Refused: private-only or unknown kty, "use" other than "sig", key_ops without
// "verify", unknown "alg", RSA moduli under 2048 bits, EC points off the curve or coordinates of the
// wrong length, curves other than P-256/384/521 and Ed25519. Private members are ignored.
Result<Jwk> parseJwk(const QJsonObject &jwk);

// A JWK Set ({"keys": [...]}, strict JSON). Keys that cannot verify signatures (other kty, "use":
// "enc") are skipped, as RFC 7517 §5 asks; `skipped` says why for each. A set with no usable key
// is an error.
Result<QList<Jwk>> parseJwks(QByteArrayView json, QStringList *skipped = nullptr);

// Public keys from PEM: X.509 certificates and/or SubjectPublicKeyInfo ("PUBLIC KEY") blocks.
Result<QList<Jwk>> keysFromPem(QByteArrayView pem);

// An HMAC secret as an oct key (at least 32 bytes).
Result<Jwk> hmacKey(const QByteArray &secret, const QString &kid = {});

// The public JWK of an RSA, EC (P-256/384/521) or Ed25519 key, with "kid", "alg" and "use": "sig".
Result<QJsonObject> publicJwk(EVP_PKEY *key, const QString &kid, JwsAlgorithm alg);

// The RFC 7638 thumbprint (base64url SHA-256) of a public key, a stable kid.
Result<QString> jwkThumbprint(EVP_PKEY *key);

} // namespace Gatehouse
