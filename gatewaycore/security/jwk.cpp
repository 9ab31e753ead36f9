// JSON Web Keys over OpenSSL 3: JWK/JWKS parsing into EVP_PKEY, PEM public keys, public JWKs.
#include "jwk.h"

#include "joseencoding.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

namespace Gatehouse {

namespace {

constexpr int kMinRsaBits = 2048;
constexpr int kMaxRsaBits = 16384;
constexpr qsizetype kMinHmacBytes = 32;

struct Curve
{
    const char *jwkName;     // "P-256"
    const char *opensslName; // "prime256v1"
    int coordinateBytes;
    JwsAlgorithm alg;
};
constexpr Curve kCurves[] = {
    {"P-256", "prime256v1", 32, JwsAlgorithm::ES256},
    {"P-384", "secp384r1", 48, JwsAlgorithm::ES384},
    {"P-521", "secp521r1", 66, JwsAlgorithm::ES512},
};

const Curve *curveByJwkName(const QString &name)
{
    for (const Curve &c : kCurves) {
        if (name == QLatin1StringView(c.jwkName))
            return &c;
    }
    return nullptr;
}

const Curve *curveOf(EVP_PKEY *key)
{
    char group[64] = {};
    if (EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof group, nullptr) != 1)
        return nullptr;
    for (const Curve &c : kCurves) {
        if (qstrcmp(group, c.opensslName) == 0 || qstrcmp(group, c.jwkName) == 0)
            return &c;
    }
    return nullptr;
}

struct BnFree { void operator()(BIGNUM *p) const { BN_free(p); } };
struct ParamBldFree { void operator()(OSSL_PARAM_BLD *p) const { OSSL_PARAM_BLD_free(p); } };
struct ParamFree { void operator()(OSSL_PARAM *p) const { OSSL_PARAM_free(p); } };
struct CtxFree { void operator()(EVP_PKEY_CTX *p) const { EVP_PKEY_CTX_free(p); } };
using BnPtr = std::unique_ptr<BIGNUM, BnFree>;

std::shared_ptr<EVP_PKEY> adopt(EVP_PKEY *key)
{
    return std::shared_ptr<EVP_PKEY>(key, EVP_PKEY_free);
}

std::shared_ptr<EVP_PKEY> fromData(const char *type, OSSL_PARAM_BLD *bld)
{
    std::unique_ptr<OSSL_PARAM, ParamFree> params(OSSL_PARAM_BLD_to_param(bld));
    std::unique_ptr<EVP_PKEY_CTX, CtxFree> ctx(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
    EVP_PKEY *key = nullptr;
    if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1
        || EVP_PKEY_fromdata(ctx.get(), &key, EVP_PKEY_PUBLIC_KEY, params.get()) != 1)
        return nullptr;
    return adopt(key);
}

bool publicKeyChecks(EVP_PKEY *key)
{
    std::unique_ptr<EVP_PKEY_CTX, CtxFree> ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, key, nullptr));
    return ctx && EVP_PKEY_public_check(ctx.get()) == 1;
}

std::optional<QByteArray> member(const QJsonObject &jwk, QLatin1StringView name)
{
    const QJsonValue v = jwk.value(name);
    if (!v.isString())
        return std::nullopt;
    return base64UrlDecode(v.toString().toLatin1());
}

// A key taken from OpenSSL (PEM, a generated pair): type and curve from the key itself.
Result<Jwk> jwkFromPkey(std::shared_ptr<EVP_PKEY> key)
{
    Jwk jwk;
    switch (EVP_PKEY_get_base_id(key.get())) {
    case EVP_PKEY_RSA:
        if (EVP_PKEY_get_bits(key.get()) < kMinRsaBits)
            return Error::config(QStringLiteral("RSA key shorter than %1 bits").arg(kMinRsaBits));
        jwk.type = JwkType::Rsa;
        break;
    case EVP_PKEY_EC: {
        const Curve *curve = curveOf(key.get());
        if (!curve)
            return Error::config(QStringLiteral("EC key on a curve other than P-256, P-384 or P-521"));
        jwk.type = JwkType::Ec;
        jwk.ecAlgorithm = curve->alg;
        break;
    }
    case EVP_PKEY_ED25519:
        jwk.type = JwkType::Okp;
        break;
    default:
        return Error::config(QStringLiteral("unsupported public key type (RSA, EC or Ed25519 expected)"));
    }
    jwk.key = std::move(key);
    return jwk;
}

// The ROCA fingerprint (CVE-2017-15361, Infineon RSALib): its primes are k*M + 65537^a mod M, with M
// the product of the first 126 primes for moduli of 1984 bits and more, so N mod r is a power of
// 65537 for each of them. Listed: those primes r where 65537 does not generate all of (Z/r)*; a
// random modulus passes every one with probability about 4e-51.
bool hasRocaFingerprint(const BIGNUM *n)
{
    static constexpr BN_ULONG kPrimes[] = {
        11, 13, 17, 19, 37, 53, 61, 71, 73, 79, 97, 103, 107, 109, 127, 151, 157, 181, 191, 193, 197, 199,
        227, 229, 233, 239, 241, 257, 263, 269, 277, 281, 283, 293, 307, 317, 331, 337, 349, 353, 367, 373,
        379, 397, 419, 421, 431, 433, 439, 457, 461, 463, 467, 479, 487, 491, 503, 523, 541, 547, 571, 577,
        587, 593, 599, 601, 617, 619, 631, 641, 647, 659, 673, 677, 683, 691};
    for (const BN_ULONG p : kPrimes) {
        const BN_ULONG residue = BN_mod_word(n, p);
        BN_ULONG power = 1;
        bool inSubgroup = false;
        for (BN_ULONG i = 0; i < p && !inSubgroup; ++i) {
            inSubgroup = power == residue;
            power = (power * (65537 % p)) % p;
        }
        if (!inSubgroup)
            return false;
    }
    return true;
}

QByteArray bnBytes(const BIGNUM *bn, int width = 0)
{
    QByteArray out(qMax(width, BN_num_bytes(bn)), '\0');
    BN_bn2binpad(bn, reinterpret_cast<unsigned char *>(out.data()), int(out.size()));
    return out;
}

QByteArray bnParam(EVP_PKEY *key, const char *name, int width = 0)
{
    BIGNUM *bn = nullptr;
    if (EVP_PKEY_get_bn_param(key, name, &bn) != 1)
        return {};
    BnPtr owned(bn);
    return bnBytes(bn, width);
}

} // namespace

std::optional<JwsAlgorithm> jwsAlgorithmFromName(QStringView name)
{
    for (int i = int(JwsAlgorithm::RS256); i <= int(JwsAlgorithm::HS512); ++i) {
        if (name == jwsAlgorithmName(JwsAlgorithm(i)))
            return JwsAlgorithm(i);
    }
    return std::nullopt;
}

QLatin1StringView jwsAlgorithmName(JwsAlgorithm alg)
{
    switch (alg) {
    case JwsAlgorithm::RS256: return QLatin1StringView("RS256");
    case JwsAlgorithm::RS384: return QLatin1StringView("RS384");
    case JwsAlgorithm::RS512: return QLatin1StringView("RS512");
    case JwsAlgorithm::PS256: return QLatin1StringView("PS256");
    case JwsAlgorithm::PS384: return QLatin1StringView("PS384");
    case JwsAlgorithm::PS512: return QLatin1StringView("PS512");
    case JwsAlgorithm::ES256: return QLatin1StringView("ES256");
    case JwsAlgorithm::ES384: return QLatin1StringView("ES384");
    case JwsAlgorithm::ES512: return QLatin1StringView("ES512");
    case JwsAlgorithm::EdDSA: return QLatin1StringView("EdDSA");
    case JwsAlgorithm::HS256: return QLatin1StringView("HS256");
    case JwsAlgorithm::HS384: return QLatin1StringView("HS384");
    case JwsAlgorithm::HS512: return QLatin1StringView("HS512");
    }
    return QLatin1StringView("?");
}

QString Jwk::refuses(JwsAlgorithm a) const
{
    const QString name = kid.isEmpty() ? QStringLiteral("the key") : QStringLiteral("key '%1'").arg(kid);
    if (alg && *alg != a) {
        return QStringLiteral("%1 is for %2, not %3").arg(name, jwsAlgorithmName(*alg), jwsAlgorithmName(a));
    }
    switch (type) {
    case JwkType::Rsa:
        if (a >= JwsAlgorithm::RS256 && a <= JwsAlgorithm::PS512)
            return {};
        return QStringLiteral("%1 is an RSA key and cannot verify %2").arg(name, jwsAlgorithmName(a));
    case JwkType::Ec:
        if (a == ecAlgorithm)
            return {};
        return QStringLiteral("%1 is an EC key for %2 and cannot verify %3")
            .arg(name, jwsAlgorithmName(ecAlgorithm), jwsAlgorithmName(a));
    case JwkType::Okp:
        if (a == JwsAlgorithm::EdDSA)
            return {};
        return QStringLiteral("%1 is an Ed25519 key and cannot verify %2").arg(name, jwsAlgorithmName(a));
    case JwkType::Oct:
        if (a >= JwsAlgorithm::HS256 && a <= JwsAlgorithm::HS512)
            return {};
        return QStringLiteral("%1 is an HMAC secret and cannot verify %2").arg(name, jwsAlgorithmName(a));
    }
    return QStringLiteral("%1 cannot verify %2").arg(name, jwsAlgorithmName(a));
}

Result<Jwk> parseJwk(const QJsonObject &object)
{
    Jwk jwk;
    const QJsonValue kid = object.value(QLatin1StringView("kid"));
    if (!kid.isUndefined() && !kid.isString())
        return Error::config(QStringLiteral("\"kid\" is not a string"));
    jwk.kid = kid.toString();
    const QJsonValue use = object.value(QLatin1StringView("use"));
    if (!use.isUndefined() && use.toString() != u"sig")
        return Error::config(QStringLiteral("the key is not for signatures (\"use\" is not \"sig\")"));
    const QJsonValue ops = object.value(QLatin1StringView("key_ops"));
    if (!ops.isUndefined()) {
        // Each member is read as a comma-separated list too: ["sign, verify"] is a known producer
        // slip that still says what the key is for.
        bool verify = false;
        for (const QJsonValue &op : ops.toArray()) {
            for (const QString &part : op.toString().split(u','))
                verify = verify || part.trimmed() == u"verify";
        }
        if (!verify)
            return Error::config(QStringLiteral("the key's key_ops do not include \"verify\""));
    }
    const QJsonValue alg = object.value(QLatin1StringView("alg"));
    if (!alg.isUndefined()) {
        jwk.alg = jwsAlgorithmFromName(alg.toString());
        if (!jwk.alg)
            return Error::config(QStringLiteral("unsupported key algorithm \"%1\"").arg(alg.toString().left(20)));
    }

    const QString kty = object.value(QLatin1StringView("kty")).toString();
    if (kty == u"RSA") {
        const auto n = member(object, QLatin1StringView("n"));
        const auto e = member(object, QLatin1StringView("e"));
        if (!n || !e || n->isEmpty() || e->isEmpty() || e->size() > 8)
            return Error::config(QStringLiteral("RSA key without valid \"n\" and \"e\""));
        BnPtr bn(BN_bin2bn(reinterpret_cast<const unsigned char *>(n->constData()), int(n->size()), nullptr));
        BnPtr be(BN_bin2bn(reinterpret_cast<const unsigned char *>(e->constData()), int(e->size()), nullptr));
        if (!bn || !be || BN_num_bits(bn.get()) < kMinRsaBits || BN_num_bits(bn.get()) > kMaxRsaBits)
            return Error::config(QStringLiteral("RSA modulus outside %1..%2 bits").arg(kMinRsaBits).arg(kMaxRsaBits));
        if (!BN_is_odd(be.get()) || BN_is_one(be.get()))
            return Error::config(QStringLiteral("RSA exponent is not an odd number above 1"));
        if (hasRocaFingerprint(bn.get()))
            return Error::config(QStringLiteral("RSA key from a vulnerable generator (ROCA, CVE-2017-15361)"));
        std::unique_ptr<OSSL_PARAM_BLD, ParamBldFree> bld(OSSL_PARAM_BLD_new());
        if (!bld || OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_N, bn.get()) != 1
            || OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_E, be.get()) != 1)
            return Error::internal(QStringLiteral("cannot build an RSA key"));
        jwk.key = fromData("RSA", bld.get());
        jwk.type = JwkType::Rsa;
    } else if (kty == u"EC") {
        const Curve *curve = curveByJwkName(object.value(QLatin1StringView("crv")).toString());
        if (!curve)
            return Error::config(QStringLiteral("EC key on an unsupported curve (P-256, P-384, P-521)"));
        const auto x = member(object, QLatin1StringView("x"));
        const auto y = member(object, QLatin1StringView("y"));
        if (!x || !y || x->size() != curve->coordinateBytes || y->size() != curve->coordinateBytes)
            return Error::config(QStringLiteral("EC key coordinates are not %1 bytes each").arg(curve->coordinateBytes));
        const QByteArray point = QByteArray(1, '\x04') + *x + *y;
        std::unique_ptr<OSSL_PARAM_BLD, ParamBldFree> bld(OSSL_PARAM_BLD_new());
        if (!bld || OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, curve->opensslName, 0) != 1
            || OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, point.constData(),
                                                size_t(point.size())) != 1)
            return Error::internal(QStringLiteral("cannot build an EC key"));
        jwk.key = fromData("EC", bld.get());
        if (jwk.key && !publicKeyChecks(jwk.key.get()))
            jwk.key.reset();
        jwk.type = JwkType::Ec;
        jwk.ecAlgorithm = curve->alg;
    } else if (kty == u"OKP") {
        if (object.value(QLatin1StringView("crv")).toString() != u"Ed25519")
            return Error::config(QStringLiteral("OKP key on a curve other than Ed25519"));
        const auto x = member(object, QLatin1StringView("x"));
        if (!x || x->size() != 32)
            return Error::config(QStringLiteral("Ed25519 key \"x\" is not 32 bytes"));
        jwk.key = adopt(EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr,
                                                    reinterpret_cast<const unsigned char *>(x->constData()), 32));
        jwk.type = JwkType::Okp;
    } else if (kty == u"oct") {
        const auto k = member(object, QLatin1StringView("k"));
        if (!k)
            return Error::config(QStringLiteral("oct key without a valid \"k\""));
        if (k->size() < kMinHmacBytes)
            return Error::config(QStringLiteral("HMAC key shorter than %1 bytes").arg(kMinHmacBytes));
        jwk.secret = *k;
        jwk.type = JwkType::Oct;
        return jwk;
    } else {
        return Error::config(QStringLiteral("unsupported key type \"%1\"").arg(kty.left(20)));
    }
    if (!jwk.key)
        return Error::config(QStringLiteral("the %1 key is not a valid public key").arg(kty));
    if (jwk.alg && !jwk.refuses(*jwk.alg).isEmpty())
        return Error::config(QStringLiteral("a %1 key cannot be used for %2").arg(kty, jwsAlgorithmName(*jwk.alg)));
    return jwk;
}

Result<QList<Jwk>> parseJwks(QByteArrayView json, QStringList *skipped)
{
    auto object = parseStrictJsonObject(json);
    if (!object)
        return Error::config(QStringLiteral("the JWKS is not valid: %1").arg(object.error().message));
    const QJsonValue keys = object->value(QLatin1StringView("keys"));
    if (!keys.isArray())
        return Error::config(QStringLiteral("the JWKS has no \"keys\" array"));
    // kid must name one key: duplicates are ambiguous even when one of them is unusable.
    QStringList kids;
    for (const QJsonValue &k : keys.toArray()) {
        const QString kid = k.toObject().value(QLatin1StringView("kid")).toString();
        if (!kid.isEmpty() && kids.contains(kid))
            return Error::config(QStringLiteral("two keys of the JWKS share kid '%1'").arg(kid.left(64)));
        kids.append(kid);
    }
    QList<Jwk> out;
    int index = 0;
    for (const QJsonValue &k : keys.toArray()) {
        auto jwk = parseJwk(k.toObject());
        if (jwk)
            out.append(std::move(*jwk));
        else if (skipped)
            skipped->append(QStringLiteral("key %1: %2").arg(index).arg(jwk.error().message));
        ++index;
    }
    if (out.isEmpty())
        return Error::config(QStringLiteral("the JWKS has no key usable for signatures"));
    // One kind of key per set (as per issuer): a secret next to public keys invites confusion.
    bool secrets = false;
    bool publicKeys = false;
    for (const Jwk &k : std::as_const(out))
        (k.type == JwkType::Oct ? secrets : publicKeys) = true;
    if (secrets && publicKeys)
        return Error::config(QStringLiteral("the JWKS mixes HMAC secrets with public keys"));
    return out;
}

Result<QList<Jwk>> keysFromPem(QByteArrayView pem)
{
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(pem.data(), int(pem.size())), BIO_free);
    QList<Jwk> out;
    while (true) {
        char *name = nullptr;
        char *header = nullptr;
        unsigned char *data = nullptr;
        long length = 0;
        if (PEM_read_bio(bio.get(), &name, &header, &data, &length) != 1)
            break;
        const QByteArray type(name);
        const unsigned char *p = data;
        EVP_PKEY *key = nullptr;
        if (type == "CERTIFICATE") {
            if (X509 *cert = d2i_X509(nullptr, &p, length)) {
                key = X509_get_pubkey(cert);
                X509_free(cert);
            }
        } else if (type == "PUBLIC KEY") {
            key = d2i_PUBKEY(nullptr, &p, length);
        }
        OPENSSL_free(name);
        OPENSSL_free(header);
        OPENSSL_free(data);
        if (!key)
            continue;
        auto jwk = jwkFromPkey(adopt(key));
        if (!jwk)
            return jwk.error();
        out.append(std::move(*jwk));
    }
    if (out.isEmpty())
        return Error::config(QStringLiteral("no certificate or public key found in the PEM data"));
    return out;
}

Result<Jwk> hmacKey(const QByteArray &secret, const QString &kid)
{
    if (secret.size() < kMinHmacBytes)
        return Error::config(QStringLiteral("the HMAC secret is shorter than %1 bytes").arg(kMinHmacBytes));
    Jwk jwk;
    jwk.type = JwkType::Oct;
    jwk.secret = secret;
    jwk.kid = kid;
    return jwk;
}

Result<QJsonObject> publicJwk(EVP_PKEY *key, const QString &kid, JwsAlgorithm alg)
{
    QJsonObject out;
    switch (EVP_PKEY_get_base_id(key)) {
    case EVP_PKEY_RSA:
        out.insert(QStringLiteral("kty"), QStringLiteral("RSA"));
        out.insert(QStringLiteral("n"), QString::fromLatin1(base64UrlEncode(bnParam(key, OSSL_PKEY_PARAM_RSA_N))));
        out.insert(QStringLiteral("e"), QString::fromLatin1(base64UrlEncode(bnParam(key, OSSL_PKEY_PARAM_RSA_E))));
        break;
    case EVP_PKEY_EC: {
        const Curve *curve = curveOf(key);
        if (!curve)
            return Error::config(QStringLiteral("EC key on an unsupported curve"));
        out.insert(QStringLiteral("kty"), QStringLiteral("EC"));
        out.insert(QStringLiteral("crv"), QLatin1StringView(curve->jwkName));
        out.insert(QStringLiteral("x"), QString::fromLatin1(base64UrlEncode(
                                            bnParam(key, OSSL_PKEY_PARAM_EC_PUB_X, curve->coordinateBytes))));
        out.insert(QStringLiteral("y"), QString::fromLatin1(base64UrlEncode(
                                            bnParam(key, OSSL_PKEY_PARAM_EC_PUB_Y, curve->coordinateBytes))));
        break;
    }
    case EVP_PKEY_ED25519: {
        unsigned char raw[32];
        size_t len = sizeof raw;
        if (EVP_PKEY_get_raw_public_key(key, raw, &len) != 1)
            return Error::internal(QStringLiteral("cannot read the Ed25519 public key"));
        out.insert(QStringLiteral("kty"), QStringLiteral("OKP"));
        out.insert(QStringLiteral("crv"), QStringLiteral("Ed25519"));
        out.insert(QStringLiteral("x"), QString::fromLatin1(base64UrlEncode(QByteArrayView(raw, qsizetype(len)))));
        break;
    }
    default:
        return Error::config(QStringLiteral("unsupported key type"));
    }
    if (!kid.isEmpty())
        out.insert(QStringLiteral("kid"), kid);
    out.insert(QStringLiteral("alg"), jwsAlgorithmName(alg));
    out.insert(QStringLiteral("use"), QStringLiteral("sig"));
    return out;
}

Result<QString> jwkThumbprint(EVP_PKEY *key)
{
    auto jwk = publicJwk(key, {}, JwsAlgorithm::RS256);
    if (!jwk)
        return jwk.error();
    // RFC 7638: the required members only, sorted, no whitespace (QJsonDocument sorts keys).
    QJsonObject required;
    for (const char *name : {"crv", "e", "kty", "n", "x", "y"}) {
        const QLatin1StringView n(name);
        if (jwk->contains(n))
            required.insert(n, jwk->value(n));
    }
    const QByteArray canonical = QJsonDocument(required).toJson(QJsonDocument::Compact);
    return QString::fromLatin1(base64UrlEncode(QCryptographicHash::hash(canonical, QCryptographicHash::Sha256)));
}

} // namespace Gatehouse
