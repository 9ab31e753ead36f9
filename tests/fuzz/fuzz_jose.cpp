// libFuzzer target: bytes through the JOSE parsers (compact JWS, JWK Set, strict JSON, base64url)
// and the JWT verifier. Nothing may crash or hang; base64url must stay canonical (decode then
// encode gives the input back) and no input may verify without one of the fixed keys' secrets.
#include "security/joseencoding.h"
#include "security/jwk.h"
#include "security/jws.h"
#include "security/tokenverifier.h"

#include <QByteArray>
#include <QJsonDocument>

#include <cstddef>
#include <cstdint>

namespace {

// Wycheproof's ES256 test key and an HMAC secret nobody feeds the fuzzer.
const char kEcJwk[] = R"({"kty":"EC","crv":"P-256","kid":"kid-ec-sign","alg":"ES256",)"
                      R"("x":"04N0xi21hshyvBp7I167sbE_bXqyqkAPfefdklMO7wY","y":"UI8exy-C06a7DUnjIdENkxeFtHM4-l_41LqEw9nVgmw"})";

const Gatehouse::TokenVerifier &verifier()
{
    static const Gatehouse::TokenVerifier v = [] {
        using namespace Gatehouse;
        QList<Jwk> keys{*parseJwk(QJsonDocument::fromJson(kEcJwk).object())};
        keys.append(*hmacKey(QByteArray(32, '\x5a'), QStringLiteral("hs")));
        TrustedIssuer issuer;
        issuer.iss = QStringLiteral("https://fuzz.example/");
        issuer.rules.issuerName = QStringLiteral("fuzz");
        issuer.keys = std::make_shared<IssuerKeys>();
        issuer.keys->replace(std::make_shared<const QList<Jwk>>(keys));
        return TokenVerifier({issuer}, 1, 16);
    }();
    return v;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using namespace Gatehouse;
    if (size == 0)
        return 0;
    const QByteArray bytes(reinterpret_cast<const char *>(data) + 1, qsizetype(size - 1));
    switch (data[0] % 4) {
    case 0: {
        if (auto jws = parseCompactJws(bytes)) {
            for (const Jwk &k : *verifier().issuers().first().keys->current())
                (void)verifyCompactJws(*jws, k, k.alg.value_or(jws->alg));
        }
        std::shared_ptr<const VerifiedToken> out;
        QString reason;
        (void)verifier().verify(bytes, 1'800'000'000, 0, out, reason);
        break;
    }
    case 1: {
        QStringList skipped;
        (void)parseJwks(bytes, &skipped);
        (void)keysFromPem(bytes);
        break;
    }
    case 2:
        (void)parseStrictJsonObject(bytes);
        break;
    default:
        if (const auto decoded = base64UrlDecode(bytes); decoded && base64UrlEncode(*decoded) != bytes)
            __builtin_trap();
        break;
    }
    return 0;
}
