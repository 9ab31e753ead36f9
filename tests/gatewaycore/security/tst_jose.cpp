// JOSE over OpenSSL: strict encodings, JWK parsing, JWS verification scored against Wycheproof and
// the RFC 7520 cookbook, signing round trips and forged tokens.
#include "security/joseencoding.h"
#include "security/jwk.h"
#include "security/jws.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QMap>
#include <QTest>

#include <openssl/evp.h>
#include <openssl/x509.h>

using namespace Gatehouse;

namespace {

QString corpus(const QString &relative)
{
    return qEnvironmentVariable("GATEHOUSE_CORPUS") + u'/' + relative;
}

QJsonObject readJson(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(f.readAll()).object();
}

std::shared_ptr<EVP_PKEY> generate(const char *type, const char *param = nullptr)
{
    EVP_PKEY *key = param ? EVP_PKEY_Q_keygen(nullptr, nullptr, type, param)
                          : EVP_PKEY_Q_keygen(nullptr, nullptr, type);
    return std::shared_ptr<EVP_PKEY>(key, EVP_PKEY_free);
}

std::shared_ptr<EVP_PKEY> generateRsa()
{
    return std::shared_ptr<EVP_PKEY>(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t(2048)), EVP_PKEY_free);
}

Jwk publicOf(EVP_PKEY *key, JwsAlgorithm alg)
{
    auto jwk = parseJwk(*publicJwk(key, QStringLiteral("k1"), alg));
    return jwk ? *jwk : Jwk();
}

// Verifies a token the way the gateway does: parse strictly, then verify with the key's algorithm.
QString check(const QByteArray &token, const Jwk &key, JwsAlgorithm alg)
{
    auto jws = parseCompactJws(token);
    if (!jws)
        return jws.error().message;
    return verifyCompactJws(*jws, key, alg);
}

// Wycheproof vectors whose label contradicts the JWS specification or the file itself (the same
// ones other JOSE libraries list as defective). The outcome the gateway has by design is asserted.
struct Defect
{
    bool accepted;
    const char *why;
};
const QMap<int, Defect> kWycheproofDefects = {
    {346, {false, "Figure20: the key's alg is PS256, the token's PS384 (the key decides)"}},
    {350, {false, "Figure20: the key's alg is PS256, the token's PS384 (the key decides)"}},
    {347, {false, "Figure27: the key's alg \"ES521\" is not a registered algorithm"}},
    {351, {false, "Figure27: the key's alg \"ES521\" is not a registered algorithm"}},
    {367, {true, "invalidBase64Padding: byte-identical to valid tcId 357 (the padding was lost)"}},
    {370, {true, "invalidBase64PaddingInPayload: byte-identical to valid tcId 357"}},
    {372, {false, "labelled valid, but '?' is not base64url (RFC 7515 §2)"}},
    {373, {false, "labelled valid, but '?' is not base64url (RFC 7515 §2)"}},
};

} // namespace

class tst_Jose : public QObject
{
    Q_OBJECT
private slots:
    void compactJwsShapeCountsExactlyTwoDots_data()
    {
        QTest::addColumn<QByteArray>("token");
        QTest::addColumn<bool>("shape");
        QTest::newRow("three parts") << QByteArray("a.b.c") << true;
        QTest::newRow("empty parts") << QByteArray("..") << true;
        QTest::newRow("one dot") << QByteArray("a.b") << false;
        QTest::newRow("no dot") << QByteArray("opaque-token") << false;
        QTest::newRow("four parts") << QByteArray("a.b.c.d") << false;
        QTest::newRow("empty") << QByteArray() << false;
        QTest::newRow("long") << (QByteArray(3000, 'x') + '.' + QByteArray(3000, 'y') + '.' + QByteArray(500, 'z')) << true;
    }
    void compactJwsShapeCountsExactlyTwoDots()
    {
        QFETCH(QByteArray, token);
        QFETCH(bool, shape);
        QCOMPARE(hasCompactJwsShape(token), shape);
        QCOMPARE(hasCompactJwsShape(token), token.count('.') == 2);
    }
    void base64url_data();
    void base64url();
    void strictJson_data();
    void strictJson();
    void wycheproof();
    void wycheproofKeySets();
    void rfc7520_data();
    void rfc7520();
    void signAndVerify_data();
    void signAndVerify();
    void forgedTokensAreRefused_data();
    void forgedTokensAreRefused();
    void keysComeOnlyFromConfiguration();
    void pemKeysAndThumbprints();

private:
    Jwk m_rsaKey;   // the verifying key of forgedTokensAreRefused's rows
};

void tst_Jose::base64url_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<QByteArray>("decoded");
    QTest::newRow("empty is the empty string") << QByteArray("") << true << QByteArray("");
    QTest::newRow("two characters give one byte") << QByteArray("YQ") << true << QByteArray("a");
    QTest::newRow("url alphabet") << QByteArray("-_8") << true << QByteArray::fromHex("fbff");
    QTest::newRow("unused bits set are not canonical") << QByteArray("YR") << false << QByteArray();
    QTest::newRow("padding is refused") << QByteArray("YQ==") << false << QByteArray();
    QTest::newRow("standard alphabet + is refused") << QByteArray("+/8") << false << QByteArray();
    QTest::newRow("one character is never a length") << QByteArray("Y") << false << QByteArray();
    QTest::newRow("whitespace is refused") << QByteArray("Y Q") << false << QByteArray();
}

void tst_Jose::base64url()
{
    QFETCH(QByteArray, text);
    QFETCH(bool, valid);
    QFETCH(QByteArray, decoded);
    const auto out = base64UrlDecode(text);
    QCOMPARE(out.has_value(), valid);
    if (valid) {
        QCOMPARE(*out, decoded);
        QCOMPARE(base64UrlEncode(*out), text);
    }
}

void tst_Jose::strictJson_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<bool>("valid");
    QTest::newRow("plain object") << QByteArray(R"({"a":1,"b":[true,null,"x"]})") << true;
    QTest::newRow("whitespace around members") << QByteArray(" { \"a\" : 1 }\n") << true;
    QTest::newRow("duplicate member") << QByteArray(R"({"alg":"RS256","alg":"none"})") << false;
    QTest::newRow("duplicate through an escape") << QByteArray(R"({"alg":"RS256","\u0061lg":"HS256"})") << false;
    QTest::newRow("duplicate in a nested object") << QByteArray(R"({"a":{"x":1,"x":2}})") << false;
    QTest::newRow("same name in sibling objects") << QByteArray(R"({"a":{"x":1},"b":{"x":2}})") << true;
    QTest::newRow("array at the top") << QByteArray("[1]") << false;
    QTest::newRow("text after the object") << QByteArray(R"({"a":1}x)") << false;
    QTest::newRow("two objects") << QByteArray(R"({"a":1}{"b":2})") << false;
    QTest::newRow("trailing comma") << QByteArray(R"({"a":1,})") << false;
    QTest::newRow("invalid UTF-8") << QByteArray("{\"a\":\"\xC3\x28\"}") << false;
    QTest::newRow("overlong UTF-8") << QByteArray("{\"a\":\"\xC0\xAF\"}") << false;
    QTest::newRow("unpaired surrogate escape") << QByteArray(R"({"a":"\ud800"})") << false;
    QTest::newRow("paired surrogate escape") << QByteArray(R"({"a":"\ud83d\ude00"})") << true;
    QTest::newRow("leading zero") << QByteArray(R"({"a":01})") << false;
    QTest::newRow("too deep") << QByteArray("{\"a\":" + QByteArray(40, '[') + QByteArray(40, ']') + "}") << false;
}

void tst_Jose::strictJson()
{
    QFETCH(QByteArray, text);
    QFETCH(bool, valid);
    const auto r = parseStrictJsonObject(text);
    QVERIFY2(r.ok() == valid, r.ok() ? "accepted" : qPrintable(r.error().message));
}

void tst_Jose::wycheproof()
{
    const QJsonObject file = readJson(corpus(QStringLiteral("jose/wycheproof/json_web_signature_test.json")));
    const QJsonArray groups = file.value(QLatin1StringView("testGroups")).toArray();
    QVERIFY2(!groups.isEmpty(), "Wycheproof corpus not found (GATEHOUSE_CORPUS)");
    int valid = 0, validAccepted = 0, invalid = 0, invalidRefused = 0, defects = 0;
    QStringList failures;
    for (const QJsonValue &g : groups) {
        const QJsonObject group = g.toObject();
        const QJsonObject keyJson = group.contains(QLatin1StringView("public"))
                                        ? group.value(QLatin1StringView("public")).toObject()
                                        : group.value(QLatin1StringView("private")).toObject();
        const auto key = parseJwk(keyJson);
        for (const QJsonValue &t : group.value(QLatin1StringView("tests")).toArray()) {
            const QJsonObject test = t.toObject();
            const int id = test.value(QLatin1StringView("tcId")).toInt();
            const bool expectValid = test.value(QLatin1StringView("result")).toString() == u"valid";
            // The algorithm is pinned to the JWK's alg; a key without one (or refused) verifies nothing.
            bool accepted = false;
            if (key && key->alg)
                accepted = check(test.value(QLatin1StringView("jws")).toString().toUtf8(), *key, *key->alg).isEmpty();
            if (const auto d = kWycheproofDefects.constFind(id); d != kWycheproofDefects.cend()) {
                ++defects;
                if (accepted != d->accepted)
                    failures.append(QStringLiteral("tcId %1 (defective vector, %2): outcome changed").arg(id).arg(QLatin1StringView(d->why)));
                continue;
            }
            if (expectValid) {
                ++valid;
                validAccepted += accepted;
            } else {
                ++invalid;
                invalidRefused += !accepted;
            }
            if (accepted != expectValid) {
                failures.append(QStringLiteral("tcId %1 %2: expected %3")
                                    .arg(id)
                                    .arg(test.value(QLatin1StringView("comment")).toString(),
                                         expectValid ? QStringLiteral("valid") : QStringLiteral("invalid")));
            }
        }
    }
    qInfo("Wycheproof JWS: valid accepted %d/%d, invalid refused %d/%d, defective vectors %d (decided by design)",
          validAccepted, valid, invalidRefused, invalid, defects);
    QVERIFY2(failures.isEmpty(), qPrintable(failures.join(u'\n')));
    QCOMPARE(defects, int(kWycheproofDefects.size()));
}

void tst_Jose::wycheproofKeySets()
{
    // JWK Sets as issuers publish them: mixed key kinds, duplicate kids, weak, ROCA, malformed keys.
    const QJsonObject file = readJson(corpus(QStringLiteral("jose/wycheproof/json_web_key_test.json")));
    const QJsonArray groups = file.value(QLatin1StringView("testGroups")).toArray();
    QVERIFY2(!groups.isEmpty(), "Wycheproof corpus not found (GATEHOUSE_CORPUS)");
    int passed = 0, total = 0;
    QStringList failures;
    for (const QJsonValue &g : groups) {
        const QJsonObject group = g.toObject();
        const QJsonObject set = group.value(QLatin1StringView(group.contains(QLatin1StringView("public")) ? "public" : "private")).toObject();
        const auto keys = parseJwks(QJsonDocument(set).toJson());
        for (const QJsonValue &t : group.value(QLatin1StringView("tests")).toArray()) {
            const QJsonObject test = t.toObject();
            const bool expectValid = test.value(QLatin1StringView("result")).toString() == u"valid";
            bool accepted = false;
            const auto jws = parseCompactJws(test.value(QLatin1StringView("jws")).toString().toUtf8());
            if (keys && jws) {
                for (const Jwk &k : *keys) {
                    if (!k.kid.isEmpty() && k.kid != jws->kid)
                        continue;
                    accepted = accepted || verifyCompactJws(*jws, k, k.alg.value_or(jws->alg)).isEmpty();
                }
            }
            ++total;
            passed += accepted == expectValid;
            if (accepted != expectValid) {
                failures.append(QStringLiteral("tcId %1 %2 (%3)")
                                    .arg(test.value(QLatin1StringView("tcId")).toInt())
                                    .arg(test.value(QLatin1StringView("comment")).toString(),
                                         keys ? QStringLiteral("set parsed") : keys.error().message));
            }
        }
    }
    qInfo("Wycheproof JWK sets: %d/%d as expected", passed, total);
    QVERIFY2(failures.isEmpty(), qPrintable(failures.join(u'\n')));
}

void tst_Jose::rfc7520_data()
{
    QTest::addColumn<QString>("file");
    QTest::newRow("4.1 RSA v1.5 signature") << QStringLiteral("jws/4_1.rsa_v15_signature.json");
    QTest::newRow("4.2 RSA-PSS signature") << QStringLiteral("jws/4_2.rsa-pss_signature.json");
    QTest::newRow("4.3 ECDSA P-521 signature") << QStringLiteral("jws/4_3.ecdsa_signature.json");
    QTest::newRow("4.4 HMAC-SHA2 integrity protection") << QStringLiteral("jws/4_4.hmac-sha2_integrity_protection.json");
    QTest::newRow("4.5 detached content, payload put back") << QStringLiteral("jws/4_5.signature_with_detached_content.json");
    QTest::newRow("RFC 8037 Ed25519 signature") << QStringLiteral("curve25519/jws.json");
}

void tst_Jose::rfc7520()
{
    QFETCH(QString, file);
    const QJsonObject example = readJson(corpus(QStringLiteral("jose/rfc7520-cookbook/") + file));
    QVERIFY2(!example.isEmpty(), "RFC 7520 cookbook not found (GATEHOUSE_CORPUS)");
    const QJsonObject input = example.value(QLatin1StringView("input")).toObject();
    const auto alg = jwsAlgorithmFromName(input.value(QLatin1StringView("alg")).toString());
    QVERIFY(alg);
    const auto key = parseJwk(input.value(QLatin1StringView("key")).toObject());
    QVERIFY2(key, key ? "" : qPrintable(key.error().message));
    QByteArray token = example.value(QLatin1StringView("output")).toObject().value(QLatin1StringView("compact")).toString().toUtf8();
    if (token.contains("..")) {
        const QByteArray payload = base64UrlEncode(input.value(QLatin1StringView("payload")).toString().toUtf8());
        token.replace("..", '.' + payload + '.');
    }
    QCOMPARE(check(token, *key, *alg), QString());
    // One flipped bit of the payload and the same token is refused.
    const qsizetype dot = token.indexOf('.') + 1;
    token[dot] = token[dot] == 'A' ? 'B' : 'A';
    QVERIFY(!check(token, *key, *alg).isEmpty());
}

void tst_Jose::signAndVerify_data()
{
    QTest::addColumn<int>("alg");
    QTest::newRow("RS256") << int(JwsAlgorithm::RS256);
    QTest::newRow("RS512") << int(JwsAlgorithm::RS512);
    QTest::newRow("PS256") << int(JwsAlgorithm::PS256);
    QTest::newRow("PS384") << int(JwsAlgorithm::PS384);
    QTest::newRow("ES256") << int(JwsAlgorithm::ES256);
    QTest::newRow("ES384") << int(JwsAlgorithm::ES384);
    QTest::newRow("ES512") << int(JwsAlgorithm::ES512);
    QTest::newRow("EdDSA") << int(JwsAlgorithm::EdDSA);
}

void tst_Jose::signAndVerify()
{
    QFETCH(int, alg);
    const auto a = JwsAlgorithm(alg);
    std::shared_ptr<EVP_PKEY> key = a == JwsAlgorithm::ES256   ? generate("EC", "P-256")
                                    : a == JwsAlgorithm::ES384 ? generate("EC", "P-384")
                                    : a == JwsAlgorithm::ES512 ? generate("EC", "P-521")
                                    : a == JwsAlgorithm::EdDSA ? generate("ED25519")
                                                               : generateRsa();
    QVERIFY(key);
    const auto token = signCompactJws({{QStringLiteral("kid"), QStringLiteral("k1")}}, "{\"sub\":\"alice\"}", key.get(), a);
    QVERIFY2(token, token ? "" : qPrintable(token.error().message));
    const Jwk verifier = publicOf(key.get(), a);
    QCOMPARE(check(*token, verifier, a), QString());
    auto jws = parseCompactJws(*token);
    QCOMPARE(jws->kid, QStringLiteral("k1"));
    QCOMPARE(jws->payload, QByteArray("{\"sub\":\"alice\"}"));
}

void tst_Jose::forgedTokensAreRefused_data()
{
    QTest::addColumn<QByteArray>("token");
    QTest::addColumn<QString>("reason");

    const auto rsa = generateRsa();
    auto signWith = [](const QJsonObject &header, const QByteArray &payload, const QByteArray &secret) {
        const QByteArray input = base64UrlEncode(QJsonDocument(header).toJson(QJsonDocument::Compact)) + '.'
                                 + base64UrlEncode(payload);
        unsigned char mac[EVP_MAX_MD_SIZE];
        size_t len = 0;
        EVP_Q_mac(nullptr, "HMAC", nullptr, "SHA256", nullptr, secret.constData(), size_t(secret.size()),
                  reinterpret_cast<const unsigned char *>(input.constData()), size_t(input.size()), mac, sizeof mac, &len);
        return input + '.' + base64UrlEncode(QByteArrayView(mac, qsizetype(len)));
    };
    const QByteArray body = R"({"sub":"mallory"})";
    for (const char *none : {"none", "None", "NONE", "nOnE"}) {
        const QByteArray unsigned_ = base64UrlEncode(QByteArray(R"({"alg":")") + none + "\"}") + '.' + base64UrlEncode(body);
        QTest::addRow("alg %s with no signature", none) << unsigned_ + '.' << QStringLiteral("no signature");
        QTest::addRow("alg %s with a signature", none) << unsigned_ + ".AAAA" << QStringLiteral("alg \"none\"");
    }
    // RS→HS confusion: HMAC keyed with the RSA public key's PEM bytes.
    unsigned char *der = nullptr;
    const int derLength = i2d_PUBKEY(rsa.get(), &der);
    const QByteArray pub(reinterpret_cast<const char *>(der), derLength);
    OPENSSL_free(der);
    QTest::newRow("HS256 keyed with the RSA public key (DER)")
        << signWith({{QStringLiteral("alg"), QStringLiteral("HS256")}}, body, pub) << QStringLiteral("says HS256");
    const QByteArray pubPem = "-----BEGIN PUBLIC KEY-----\n" + pub.toBase64() + "\n-----END PUBLIC KEY-----\n";
    QTest::newRow("HS256 keyed with the RSA public key (PEM)")
        << signWith({{QStringLiteral("alg"), QStringLiteral("HS256")}}, body, pubPem) << QStringLiteral("says HS256");
    const auto good = *signCompactJws({}, body, rsa.get(), JwsAlgorithm::RS256);
    QTest::newRow("unknown crit extension")
        << *signCompactJws({{QStringLiteral("crit"), QJsonArray{QStringLiteral("exp")}}, {QStringLiteral("exp"), 1}}, body,
                           rsa.get(), JwsAlgorithm::RS256)
        << QStringLiteral("not understood");
    QTest::newRow("RS256 token presented as PS256")
        << QByteArray(base64UrlEncode(R"({"alg":"PS256"})") + good.sliced(good.indexOf('.')))
        << QStringLiteral("says PS256");
    QTest::newRow("duplicate alg member")
        << QByteArray(base64UrlEncode(R"({"alg":"RS256","alg":"HS256"})") + good.sliced(good.indexOf('.')))
        << QStringLiteral("duplicate member");
    QByteArray padded = good;
    padded.insert(padded.indexOf('.'), "==");
    QTest::newRow("padding in the header") << padded << QStringLiteral("base64url");
    QTest::newRow("four parts") << good + ".AAAA" << QStringLiteral("three base64url parts");
    QTest::newRow("oversized") << QByteArray(good + QByteArray(17 * 1024, 'A')) << QStringLiteral("larger than 16 KiB");
    QByteArray flipped = good;
    flipped[flipped.size() - 2] = flipped[flipped.size() - 2] == 'A' ? 'B' : 'A';
    QTest::newRow("modified signature") << flipped << QStringLiteral("does not verify");
    QTest::newRow("signed by another RSA key") << *signCompactJws({}, body, generateRsa().get(), JwsAlgorithm::RS256)
                                               << QStringLiteral("does not verify");
    // The verifying key for every row.
    m_rsaKey = publicOf(rsa.get(), JwsAlgorithm::RS256);
    m_rsaKey.alg.reset();   // RSA family allowed: the rows check that the token's word is not enough
}

void tst_Jose::forgedTokensAreRefused()
{
    QFETCH(QByteArray, token);
    QFETCH(QString, reason);
    const QString refused = check(token, m_rsaKey, JwsAlgorithm::RS256);
    QVERIFY2(refused.contains(reason), qPrintable(QStringLiteral("refused with '%1'").arg(refused)));
}

void tst_Jose::keysComeOnlyFromConfiguration()
{
    // A token carrying its own key (jwk) and key URLs: verification uses only the configured key.
    const auto ours = generate("EC", "P-256");
    const auto attacker = generate("EC", "P-256");
    const QJsonObject header{{QStringLiteral("jwk"), *publicJwk(attacker.get(), QStringLiteral("k1"), JwsAlgorithm::ES256)},
                             {QStringLiteral("jku"), QStringLiteral("https://attacker.example/jwks")},
                             {QStringLiteral("x5u"), QStringLiteral("https://attacker.example/cert")},
                             {QStringLiteral("kid"), QStringLiteral("k1")}};
    const auto token = signCompactJws(header, "{}", attacker.get(), JwsAlgorithm::ES256);
    QVERIFY(token);
    QCOMPARE(check(*token, publicOf(ours.get(), JwsAlgorithm::ES256), JwsAlgorithm::ES256),
             QStringLiteral("signature does not verify"));
    // A P-256 key never verifies ES384, whatever the token says.
    const auto es384 = signCompactJws({}, "{}", generate("EC", "P-384").get(), JwsAlgorithm::ES384);
    Jwk p256 = publicOf(ours.get(), JwsAlgorithm::ES256);
    p256.alg.reset();
    QVERIFY(check(*es384, p256, JwsAlgorithm::ES384).contains(QStringLiteral("EC key for ES256")));
    // Keys that are not for signatures, or too weak, are not keys at all.
    QJsonObject enc = *publicJwk(ours.get(), QStringLiteral("e1"), JwsAlgorithm::ES256);
    enc.insert(QStringLiteral("use"), QStringLiteral("enc"));
    QVERIFY(!parseJwk(enc));
    const std::shared_ptr<EVP_PKEY> weak(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t(1024)), EVP_PKEY_free);
    QVERIFY(!parseJwk(*publicJwk(weak.get(), QStringLiteral("w"), JwsAlgorithm::RS256)));
    QVERIFY(!hmacKey("short"));
}

void tst_Jose::pemKeysAndThumbprints()
{
    const auto key = generate("EC", "P-256");
    unsigned char *der = nullptr;
    const int len = i2d_PUBKEY(key.get(), &der);
    const QByteArray pem = "-----BEGIN PUBLIC KEY-----\n"
                           + QByteArray(reinterpret_cast<const char *>(der), len).toBase64() + "\n-----END PUBLIC KEY-----\n";
    OPENSSL_free(der);
    const auto keys = keysFromPem(pem);
    QVERIFY2(keys, keys ? "" : qPrintable(keys.error().message));
    QCOMPARE(keys->size(), 1);
    QCOMPARE(keys->first().type, JwkType::Ec);
    const auto token = signCompactJws({}, "{}", key.get(), JwsAlgorithm::ES256);
    QCOMPARE(check(*token, keys->first(), JwsAlgorithm::ES256), QString());
    // RFC 7638 §3.1's example key has this thumbprint.
    const QJsonObject rfc7638{{QStringLiteral("kty"), QStringLiteral("RSA")},
                              {QStringLiteral("e"), QStringLiteral("AQAB")},
                              {QStringLiteral("n"), QStringLiteral(
                                   "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw")}};
    const auto parsed = parseJwk(rfc7638);
    QVERIFY2(parsed, parsed ? "" : qPrintable(parsed.error().message));
    QCOMPARE(*jwkThumbprint(parsed->key.get()), QStringLiteral("NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"));
}

QTEST_GUILESS_MAIN(tst_Jose)
#include "tst_jose.moc"
