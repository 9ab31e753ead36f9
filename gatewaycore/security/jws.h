// JWS compact serialization (RFC 7515) over OpenSSL: strict parsing, signature verification with
// an algorithm the key decides, and signing for the gateway's own issuer.
#pragma once

#include "jwk.h"

#include <QByteArrayView>

#include <cstring>

namespace Gatehouse {

inline constexpr qsizetype kMaxTokenBytes = 16 * 1024;

// Whether `token` has exactly two '.' (the shape of a compact JWS), found with memchr: the request
// path asks this of every bearer token, and QByteArrayView::count() scans it byte by byte.
inline bool hasCompactJwsShape(QByteArrayView token) noexcept
{
    const char *p = token.data();
    const char *end = p + token.size();
    for (int dots = 0; dots < 3; ++dots) {
        const void *hit = p < end ? std::memchr(p, '.', size_t(end - p)) : nullptr;
        if (!hit)
            return dots == 2;
        p = static_cast<const char *>(hit) + 1;
    }
    return false;   // a third dot
}

struct CompactJws
{
    QByteArray signingInput;   // "header.payload" as sent (what the signature covers)
    QJsonObject header;
    QByteArray payload;
    QByteArray signature;
    JwsAlgorithm alg = JwsAlgorithm::RS256;   // as the header claims it; the key must agree
    QString kid;
};

// Splits and decodes a compact JWS. Refused: more than 16 KiB, not exactly three parts,
// non-canonical base64url, a header that is not strict JSON, "alg" missing, "none" (any case) or
// unknown, a "crit" header (no extension is understood), a non-string "kid". jku, x5u, jwk and x5c
// headers are never read: keys only come from the verifier's configuration.
Result<CompactJws> parseCompactJws(QByteArrayView token);

// Checks the signature with `key` and the algorithm `alg` (chosen by the caller from the key, not
// taken on the token's word: verifying refuses unless jws.alg == alg and the key allows alg).
// HMAC tags are compared in constant time; ECDSA signatures must be the raw r||s of the curve's
// size. Empty when the signature verifies, else a short reason.
QString verifyCompactJws(const CompactJws &jws, const Jwk &key, JwsAlgorithm alg);

// A compact JWS of `payload` with `header` (alg is set here) signed by a private key: RS*, PS*,
// ES* (raw r||s output) or EdDSA.
Result<QByteArray> signCompactJws(QJsonObject header, QByteArrayView payload, EVP_PKEY *privateKey,
                                  JwsAlgorithm alg);

} // namespace Gatehouse
