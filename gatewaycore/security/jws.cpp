// JWS compact serialization over OpenSSL 3: parse, verify (RS/PS/ES/EdDSA/HS), sign.
#include "jws.h"

#include "joseencoding.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <openssl/crypto.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rsa.h>

namespace Gatehouse {

namespace {

struct MdCtxFree { void operator()(EVP_MD_CTX *p) const { EVP_MD_CTX_free(p); } };
struct EcdsaSigFree { void operator()(ECDSA_SIG *p) const { ECDSA_SIG_free(p); } };

const EVP_MD *digestOf(JwsAlgorithm alg)
{
    switch (alg) {
    case JwsAlgorithm::RS256: case JwsAlgorithm::PS256: case JwsAlgorithm::ES256: case JwsAlgorithm::HS256:
        return EVP_sha256();
    case JwsAlgorithm::RS384: case JwsAlgorithm::PS384: case JwsAlgorithm::ES384: case JwsAlgorithm::HS384:
        return EVP_sha384();
    case JwsAlgorithm::RS512: case JwsAlgorithm::PS512: case JwsAlgorithm::ES512: case JwsAlgorithm::HS512:
        return EVP_sha512();
    case JwsAlgorithm::EdDSA:
        return nullptr;
    }
    return nullptr;
}

bool isPss(JwsAlgorithm alg) { return alg >= JwsAlgorithm::PS256 && alg <= JwsAlgorithm::PS512; }
bool isEcdsa(JwsAlgorithm alg) { return alg >= JwsAlgorithm::ES256 && alg <= JwsAlgorithm::ES512; }
bool isHmac(JwsAlgorithm alg) { return alg >= JwsAlgorithm::HS256; }

int ecCoordinateBytes(EVP_PKEY *key) { return (EVP_PKEY_get_bits(key) + 7) / 8; }

const unsigned char *bytes(const QByteArray &b) { return reinterpret_cast<const unsigned char *>(b.constData()); }

// Raw r||s (JWS) to the DER SEQUENCE OpenSSL verifies; empty when the size is wrong.
QByteArray ecdsaRawToDer(const QByteArray &raw, int coordinateBytes)
{
    if (raw.size() != 2 * coordinateBytes)
        return {};
    std::unique_ptr<ECDSA_SIG, EcdsaSigFree> sig(ECDSA_SIG_new());
    BIGNUM *r = BN_bin2bn(bytes(raw), coordinateBytes, nullptr);
    BIGNUM *s = BN_bin2bn(bytes(raw) + coordinateBytes, coordinateBytes, nullptr);
    if (!sig || !r || !s || ECDSA_SIG_set0(sig.get(), r, s) != 1) {
        BN_free(r);
        BN_free(s);
        return {};
    }
    unsigned char *der = nullptr;
    const int len = i2d_ECDSA_SIG(sig.get(), &der);
    if (len <= 0)
        return {};
    QByteArray out(reinterpret_cast<const char *>(der), len);
    OPENSSL_free(der);
    return out;
}

QByteArray ecdsaDerToRaw(const QByteArray &der, int coordinateBytes)
{
    const unsigned char *p = bytes(der);
    std::unique_ptr<ECDSA_SIG, EcdsaSigFree> sig(d2i_ECDSA_SIG(nullptr, &p, long(der.size())));
    if (!sig)
        return {};
    const BIGNUM *r = nullptr;
    const BIGNUM *s = nullptr;
    ECDSA_SIG_get0(sig.get(), &r, &s);
    QByteArray out(2 * coordinateBytes, '\0');
    auto *o = reinterpret_cast<unsigned char *>(out.data());
    if (BN_bn2binpad(r, o, coordinateBytes) < 0 || BN_bn2binpad(s, o + coordinateBytes, coordinateBytes) < 0)
        return {};
    return out;
}

// Sets up a digest-sign/verify context (PSS with salt = digest length, RFC 7518 §3.5).
bool initContext(EVP_MD_CTX *ctx, EVP_PKEY *key, JwsAlgorithm alg, bool sign)
{
    EVP_PKEY_CTX *pctx = nullptr;
    const int ok = sign ? EVP_DigestSignInit(ctx, &pctx, digestOf(alg), nullptr, key)
                        : EVP_DigestVerifyInit(ctx, &pctx, digestOf(alg), nullptr, key);
    if (ok != 1)
        return false;
    if (isPss(alg)) {
        return EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) == 1
               && EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) == 1
               && EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, digestOf(alg)) == 1;
    }
    if (alg >= JwsAlgorithm::RS256 && alg <= JwsAlgorithm::RS512)
        return EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) == 1;
    return true;
}

} // namespace

Result<CompactJws> parseCompactJws(QByteArrayView token)
{
    if (token.size() > kMaxTokenBytes)
        return Error::config(QStringLiteral("the token is larger than %1 KiB").arg(kMaxTokenBytes / 1024));
    const qsizetype dot1 = token.indexOf('.');
    const qsizetype dot2 = dot1 < 0 ? -1 : token.indexOf('.', dot1 + 1);
    if (dot1 <= 0 || dot2 < 0 || token.indexOf('.', dot2 + 1) >= 0)
        return Error::config(QStringLiteral("the token is not a compact JWS (three base64url parts)"));
    const auto headerBytes = base64UrlDecode(token.first(dot1));
    const auto payload = base64UrlDecode(token.sliced(dot1 + 1, dot2 - dot1 - 1));
    const auto signature = base64UrlDecode(token.sliced(dot2 + 1));
    if (!headerBytes || !payload || !signature)
        return Error::config(QStringLiteral("the token is not canonical base64url"));
    if (signature->isEmpty())
        return Error::config(QStringLiteral("the token has no signature"));
    auto header = parseStrictJsonObject(*headerBytes);
    if (!header)
        return Error::config(QStringLiteral("the token header is not valid: %1").arg(header.error().message));

    CompactJws jws;
    const QJsonValue alg = header->value(QLatin1StringView("alg"));
    if (!alg.isString())
        return Error::config(QStringLiteral("the token header has no \"alg\""));
    if (alg.toString().compare(u"none", Qt::CaseInsensitive) == 0)
        return Error::config(QStringLiteral("unsigned tokens (alg \"none\") are refused"));
    const auto known = jwsAlgorithmFromName(alg.toString());
    if (!known)
        return Error::config(QStringLiteral("unsupported token algorithm \"%1\"").arg(alg.toString().left(20)));
    jws.alg = *known;
    if (header->contains(QLatin1StringView("crit"))) {
        const QJsonArray crit = header->value(QLatin1StringView("crit")).toArray();
        const QString first = crit.isEmpty() ? QString() : crit.first().toString().left(20);
        return Error::config(QStringLiteral("the token requires header extension \"%1\", which is not understood")
                                 .arg(first));
    }
    const QJsonValue kid = header->value(QLatin1StringView("kid"));
    if (!kid.isUndefined() && !kid.isString())
        return Error::config(QStringLiteral("the token's \"kid\" is not a string"));
    jws.kid = kid.toString();
    jws.header = std::move(*header);
    jws.signingInput = token.first(dot2).toByteArray();
    jws.payload = std::move(*payload);
    jws.signature = std::move(*signature);
    return jws;
}

QString verifyCompactJws(const CompactJws &jws, const Jwk &key, JwsAlgorithm alg)
{
    if (jws.alg != alg) {
        return QStringLiteral("the token says %1 but its key verifies %2")
            .arg(jwsAlgorithmName(jws.alg), jwsAlgorithmName(alg));
    }
    if (const QString refused = key.refuses(alg); !refused.isEmpty())
        return refused;
    if (isHmac(alg)) {
        unsigned char mac[EVP_MAX_MD_SIZE];
        unsigned int macLength = 0;
        const EVP_MD *md = digestOf(alg);
        if (key.secret.size() < EVP_MD_get_size(md))
            return QStringLiteral("the HMAC secret is shorter than %1 needs").arg(jwsAlgorithmName(alg));
        if (!HMAC(md, key.secret.constData(), int(key.secret.size()), bytes(jws.signingInput),
                  size_t(jws.signingInput.size()), mac, &macLength))
            return QStringLiteral("HMAC failed");
        if (qsizetype(macLength) != jws.signature.size()
            || CRYPTO_memcmp(mac, jws.signature.constData(), macLength) != 0)
            return QStringLiteral("signature does not verify");
        return {};
    }
    if (!key.key)
        return QStringLiteral("the key has no public part");
    QByteArray signature = jws.signature;
    if (isEcdsa(alg)) {
        signature = ecdsaRawToDer(jws.signature, ecCoordinateBytes(key.key.get()));
        if (signature.isEmpty())
            return QStringLiteral("the ECDSA signature has the wrong length");
    } else if (alg != JwsAlgorithm::EdDSA && signature.size() != EVP_PKEY_get_size(key.key.get())) {
        return QStringLiteral("the RSA signature has the wrong length");
    }
    std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
    if (!ctx || !initContext(ctx.get(), key.key.get(), alg, false))
        return QStringLiteral("the key cannot verify %1").arg(jwsAlgorithmName(alg));
    const int ok = EVP_DigestVerify(ctx.get(), bytes(signature), size_t(signature.size()),
                                    bytes(jws.signingInput), size_t(jws.signingInput.size()));
    if (ok != 1)
        return QStringLiteral("signature does not verify");
    return {};
}

Result<QByteArray> signCompactJws(QJsonObject header, QByteArrayView payload, EVP_PKEY *privateKey,
                                  JwsAlgorithm alg)
{
    if (isHmac(alg))
        return Error::internal(QStringLiteral("HMAC signing is not offered"));
    header.insert(QStringLiteral("alg"), jwsAlgorithmName(alg));
    const QByteArray input = base64UrlEncode(QJsonDocument(header).toJson(QJsonDocument::Compact)) + '.'
                             + base64UrlEncode(payload);
    std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
    if (!ctx || !initContext(ctx.get(), privateKey, alg, true))
        return Error::config(QStringLiteral("the private key cannot sign %1").arg(jwsAlgorithmName(alg)));
    size_t length = 0;
    if (EVP_DigestSign(ctx.get(), nullptr, &length, bytes(input), size_t(input.size())) != 1)
        return Error::internal(QStringLiteral("signing failed"));
    QByteArray signature(qsizetype(length), '\0');
    if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char *>(signature.data()), &length, bytes(input),
                       size_t(input.size())) != 1)
        return Error::internal(QStringLiteral("signing failed"));
    signature.truncate(qsizetype(length));
    if (isEcdsa(alg)) {
        signature = ecdsaDerToRaw(signature, ecCoordinateBytes(privateKey));
        if (signature.isEmpty())
            return Error::internal(QStringLiteral("cannot encode the ECDSA signature"));
    }
    return input + '.' + base64UrlEncode(signature);
}

} // namespace Gatehouse
