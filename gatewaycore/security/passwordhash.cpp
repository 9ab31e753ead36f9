// Password hashes for Basic-auth users over OpenSSL (PBKDF2-HMAC-SHA256, scrypt, legacy MGW digests).
#include "passwordhash.h"

#include <QRegularExpression>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <optional>

namespace Gatehouse {

namespace {

constexpr int kSaltBytes = 16;
constexpr int kHashBytes = 32;

struct Decoded
{
    PasswordHashInfo info;
    QByteArray salt;
    QByteArray hash;
};

std::optional<QByteArray> decodeBase64(const QString &text)
{
    static const QRegularExpression alphabet(QStringLiteral("^[A-Za-z0-9+/]*={0,2}$"));
    if (!alphabet.match(text).hasMatch())
        return std::nullopt;
    auto result = QByteArray::fromBase64Encoding(text.toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
    if (!result)
        return std::nullopt;
    return *result;
}

const EVP_MD *digestByName(const QString &name)
{
    if (name == u"sha1")
        return EVP_sha1();
    if (name == u"sha256")
        return EVP_sha256();
    if (name == u"sha384")
        return EVP_sha384();
    if (name == u"sha512")
        return EVP_sha512();
    return nullptr;
}

// The memory scrypt needs for N = 2^logN and r: 128 * r * N bytes (RFC 7914 §6), plus a margin
// for OpenSSL's own bookkeeping.
qint64 scryptMemory(int logN, int r)
{
    return (qint64(128) * r << logN) + (qint64(1) << 20);
}

bool scryptParametersValid(int logN, int r, int p)
{
    return logN >= kMinScryptLogN && logN <= kMaxScryptLogN && r >= 1 && r <= 32 && p >= 1 && p <= 16
           && scryptMemory(logN, r) <= kMaxScryptMemory + (qint64(1) << 20);
}

Result<Decoded> decodeScrypt(const QString &encoded)
{
    const QStringList parts = encoded.split(u'$');
    if (parts.size() != 4)
        return Error::config(QStringLiteral("a scrypt hash has four parts: scrypt$ln=<log2 N>,r=<r>,p=<p>$<salt>$<hash>"));
    static const QRegularExpression params(QStringLiteral("^ln=([0-9]{1,2}),r=([0-9]{1,2}),p=([0-9]{1,2})$"));
    const QRegularExpressionMatch m = params.match(parts[1]);
    if (!m.hasMatch())
        return Error::config(QStringLiteral("the parameters of a scrypt hash are written ln=<log2 N>,r=<r>,p=<p>, "
                                            "found '%1'").arg(parts[1].left(40)));
    const int logN = m.captured(1).toInt(), r = m.captured(2).toInt(), p = m.captured(3).toInt();
    if (!scryptParametersValid(logN, r, p))
        return Error::config(QStringLiteral("scrypt parameters out of bounds: ln %1..%2, r 1..32, p 1..16 and at "
                                            "most %3 MiB of memory (128 * r * 2^ln bytes)")
                                 .arg(kMinScryptLogN).arg(kMaxScryptLogN).arg(kMaxScryptMemory >> 20));
    const std::optional<QByteArray> salt = decodeBase64(parts[2]);
    if (!salt || salt->size() < 8 || salt->size() > 64)
        return Error::config(QStringLiteral("the salt of a scrypt hash must be 8 to 64 bytes in base64"));
    const std::optional<QByteArray> hash = decodeBase64(parts[3]);
    if (!hash || hash->size() != kHashBytes)
        return Error::config(QStringLiteral("the hash part of a scrypt hash must be 32 bytes in base64"));
    Decoded d;
    d.info.scheme = PasswordHashScheme::Scrypt;
    d.info.scryptLogN = logN;
    d.info.scryptR = r;
    d.info.scryptP = p;
    d.salt = *salt;
    d.hash = *hash;
    return d;
}

QByteArray scrypt(const QByteArray &password, const QByteArray &salt, int logN, int r, int p)
{
    QByteArray out(kHashBytes, Qt::Uninitialized);
    const int ok = EVP_PBE_scrypt(password.constData(), size_t(password.size()),
                                  reinterpret_cast<const unsigned char *>(salt.constData()), size_t(salt.size()),
                                  quint64(1) << logN, quint64(r), quint64(p), quint64(scryptMemory(logN, r)),
                                  reinterpret_cast<unsigned char *>(out.data()), size_t(kHashBytes));
    return ok == 1 ? out : QByteArray();
}

Result<Decoded> decode(const QString &encoded)
{
    Decoded d;
    if (encoded.startsWith(u"pbkdf2-sha256$")) {
        const QStringList parts = encoded.split(u'$');
        if (parts.size() != 4) {
            return Error::config(QStringLiteral("a PBKDF2 hash has four parts: "
                                                "pbkdf2-sha256$<iterations>$<salt>$<hash>"));
        }
        bool ok = false;
        const int iterations = parts[1].toInt(&ok);
        if (!ok || parts[1].front() == u'+' || iterations < kMinPbkdf2Iterations
            || iterations > kMaxPbkdf2Iterations) {
            return Error::config(QStringLiteral("the iteration count of a PBKDF2 hash must be between %1 "
                                                "and %2, found '%3'")
                                     .arg(kMinPbkdf2Iterations).arg(kMaxPbkdf2Iterations).arg(parts[1]));
        }
        const std::optional<QByteArray> salt = decodeBase64(parts[2]);
        if (!salt || salt->size() < 8 || salt->size() > 64)
            return Error::config(QStringLiteral("the salt of a PBKDF2 hash must be 8 to 64 bytes in base64"));
        const std::optional<QByteArray> hash = decodeBase64(parts[3]);
        if (!hash || hash->size() != kHashBytes)
            return Error::config(QStringLiteral("the hash part of a PBKDF2 hash must be 32 bytes in base64"));
        d.info = {PasswordHashScheme::Pbkdf2Sha256, iterations, QStringLiteral("sha256")};
        d.salt = *salt;
        d.hash = *hash;
        return d;
    }
    if (encoded.startsWith(u"scrypt$"))
        return decodeScrypt(encoded);
    static const QRegularExpression ballerina(QStringLiteral("^@(sha1|sha256|sha384|sha512):\\{([0-9A-Fa-f]+)\\}$"));
    if (const QRegularExpressionMatch m = ballerina.match(encoded); m.hasMatch()) {
        const QString digest = m.captured(1);
        d.hash = QByteArray::fromHex(m.captured(2).toLatin1());
        if (m.captured(2).size() % 2 != 0 || d.hash.size() != EVP_MD_get_size(digestByName(digest))) {
            return Error::config(QStringLiteral("a %1 digest has %2 hex digits")
                                     .arg(digest).arg(EVP_MD_get_size(digestByName(digest)) * 2));
        }
        d.info = {PasswordHashScheme::LegacyDigest, 0, digest};
        return d;
    }
    static const QRegularExpression sha1Hex(QStringLiteral("^[0-9A-Fa-f]{40}$"));
    if (sha1Hex.match(encoded).hasMatch()) {
        d.info = {PasswordHashScheme::LegacySha1Hex, 0, QStringLiteral("sha1")};
        d.hash = QByteArray::fromHex(encoded.toLatin1());
        return d;
    }
    if (encoded.startsWith(u"$6$") || encoded.startsWith(u"$5$") || encoded.startsWith(u"$2")
        || encoded.startsWith(u"$argon2") || encoded.startsWith(u"$y$")) {
        return Error::config(QStringLiteral("crypt(3), bcrypt, yescrypt and Argon2 hashes are not "
                                            "supported; use a pbkdf2-sha256$... or scrypt$... hash "
                                            "(gatehoused user hash)"));
    }
    return Error::config(QStringLiteral("unknown password hash format; expected "
                                        "pbkdf2-sha256$<iterations>$<salt>$<hash> or "
                                        "scrypt$ln=<log2 N>,r=<r>,p=<p>$<salt>$<hash>"));
}

QByteArray pbkdf2(const QByteArray &password, const QByteArray &salt, int iterations)
{
    QByteArray out(kHashBytes, Qt::Uninitialized);
    const int ok = PKCS5_PBKDF2_HMAC(password.constData(), int(password.size()),
                                     reinterpret_cast<const unsigned char *>(salt.constData()),
                                     int(salt.size()), iterations, EVP_sha256(), kHashBytes,
                                     reinterpret_cast<unsigned char *>(out.data()));
    return ok == 1 ? out : QByteArray();
}

QByteArray digestOf(const QByteArray &data, const EVP_MD *md)
{
    QByteArray out(EVP_MAX_MD_SIZE, Qt::Uninitialized);
    unsigned int length = 0;
    if (EVP_Digest(data.constData(), size_t(data.size()), reinterpret_cast<unsigned char *>(out.data()),
                   &length, md, nullptr) != 1) {
        return QByteArray();
    }
    out.truncate(int(length));
    return out;
}

QByteArray freshSalt()
{
    QByteArray salt(kSaltBytes, Qt::Uninitialized);
    if (RAND_bytes(reinterpret_cast<unsigned char *>(salt.data()), kSaltBytes) != 1)
        return QByteArray();
    return salt;
}

QString encodePbkdf2(int iterations, const QByteArray &salt, const QByteArray &hash)
{
    const auto b64 = [](const QByteArray &bytes) {
        return QString::fromLatin1(bytes.toBase64(QByteArray::OmitTrailingEquals));
    };
    return QStringLiteral("pbkdf2-sha256$%1$%2$%3").arg(iterations).arg(b64(salt), b64(hash));
}

} // namespace

Result<PasswordHashInfo> parsePasswordHash(const QString &encoded)
{
    Result<Decoded> decoded = decode(encoded);
    if (!decoded)
        return decoded.error();
    return decoded->info;
}

QString hashPasswordWithSalt(const QByteArray &password, const QByteArray &salt, int iterations)
{
    const QByteArray hash = pbkdf2(password, salt, iterations);
    return hash.isEmpty() ? QString() : encodePbkdf2(iterations, salt, hash);
}

QString hashPassword(const QByteArray &password, int iterations)
{
    const QByteArray salt = freshSalt();
    return salt.isEmpty() ? QString() : hashPasswordWithSalt(password, salt, iterations);
}

QString hashPasswordScryptWithSalt(const QByteArray &password, const QByteArray &salt, int logN, int r, int p)
{
    if (!scryptParametersValid(logN, r, p))
        return QString();
    const QByteArray hash = scrypt(password, salt, logN, r, p);
    if (hash.isEmpty())
        return QString();
    const auto b64 = [](const QByteArray &bytes) {
        return QString::fromLatin1(bytes.toBase64(QByteArray::OmitTrailingEquals));
    };
    return QStringLiteral("scrypt$ln=%1,r=%2,p=%3$%4$%5").arg(logN).arg(r).arg(p).arg(b64(salt), b64(hash));
}

QString hashPasswordScrypt(const QByteArray &password, int logN, int r, int p)
{
    const QByteArray salt = freshSalt();
    return salt.isEmpty() ? QString() : hashPasswordScryptWithSalt(password, salt, logN, r, p);
}

bool verifyPassword(const QByteArray &password, const QString &encoded)
{
    const Result<Decoded> decoded = decode(encoded);
    if (!decoded)
        return false;
    QByteArray derived;
    switch (decoded->info.scheme) {
    case PasswordHashScheme::Pbkdf2Sha256:
        derived = pbkdf2(password, decoded->salt, decoded->info.iterations);
        break;
    case PasswordHashScheme::Scrypt:
        derived = scrypt(password, decoded->salt, decoded->info.scryptLogN, decoded->info.scryptR,
                         decoded->info.scryptP);
        break;
    case PasswordHashScheme::LegacyDigest:
    case PasswordHashScheme::LegacySha1Hex:
        derived = digestOf(password, digestByName(decoded->info.digest));
        break;
    }
    // Lengths are fixed by the format, so only the bytes are compared, in constant time.
    return !derived.isEmpty() && derived.size() == decoded->hash.size()
           && CRYPTO_memcmp(derived.constData(), decoded->hash.constData(), size_t(derived.size())) == 0;
}

} // namespace Gatehouse
