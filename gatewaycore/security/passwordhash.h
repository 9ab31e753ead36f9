// Password hashes for Basic-auth users: the accepted formats, hashing and constant-time verification.
#pragma once

#include "base/result.h"

#include <QByteArray>
#include <QString>

namespace Gatehouse {

// Formats accepted in gatehouse.yaml (docs/configuration.md, "Password hashes"):
//   pbkdf2-sha256$<iterations>$<salt>$<hash>   PBKDF2-HMAC-SHA256, salt 8..64 bytes, hash 32 bytes,
//                                               both base64 (RFC 4648, padding optional); the default
//   @sha256:{<hex>}  (also @sha1, @sha384, @sha512)  unsalted digests of WSO2 MGW / Ballerina configs
//   <40 hex digits>                                  unsalted SHA-1 of older MGW projects
// The unsalted forms exist only so that imported projects keep working; they are reported as legacy.
enum class PasswordHashScheme { Pbkdf2Sha256 = 1, LegacyDigest, LegacySha1Hex };

struct PasswordHashInfo
{
    PasswordHashScheme scheme = PasswordHashScheme::Pbkdf2Sha256;
    int iterations = 0;   // PBKDF2 only
    QString digest;       // "sha256", "sha1" ...

    bool isLegacy() const { return scheme != PasswordHashScheme::Pbkdf2Sha256; }
};

inline constexpr int kDefaultPbkdf2Iterations = 600'000;   // OWASP's 2023 figure for PBKDF2-SHA256
inline constexpr int kMinPbkdf2Iterations = 1'000;
inline constexpr int kRecommendedPbkdf2Iterations = 100'000;   // below: a warning in gatehoused check
inline constexpr int kMaxPbkdf2Iterations = 10'000'000;        // bounds the cost of one login

// Checks the syntax of an encoded hash; the error is a sentence naming what is wrong.
Result<PasswordHashInfo> parsePasswordHash(const QString &encoded);

// A new PBKDF2 hash with a random 16-byte salt. Slow on purpose (iterations).
QString hashPassword(const QByteArray &password, int iterations = kDefaultPbkdf2Iterations);
// The same with a given salt, for tests and reproducible fixtures.
QString hashPasswordWithSalt(const QByteArray &password, const QByteArray &salt, int iterations);

// True when password matches the encoded hash (any accepted format). The comparison of the derived
// bytes is constant-time; a malformed hash never matches.
bool verifyPassword(const QByteArray &password, const QString &encoded);

} // namespace Gatehouse
