// Password hashes for Basic-auth users: the accepted formats, hashing and constant-time verification.
#pragma once

#include "base/result.h"

#include <QByteArray>
#include <QString>

namespace Gatehouse {

// Formats accepted in gatehouse.yaml (docs/configuration.md, "Password hashes"):
//   pbkdf2-sha256$<iterations>$<salt>$<hash>   PBKDF2-HMAC-SHA256, salt 8..64 bytes, hash 32 bytes,
//                                               both base64 (RFC 4648, padding optional); the default
//   scrypt$ln=<log2 N>,r=<r>,p=<p>$<salt>$<hash> scrypt (RFC 7914), same salt and hash rules
//   @sha256:{<hex>}  (also @sha1, @sha384, @sha512)  unsalted digests of WSO2 MGW / Ballerina configs
//   <40 hex digits>                                  unsalted SHA-1 of older MGW projects
// The unsalted forms exist only so that imported projects keep working; they are reported as legacy.
enum class PasswordHashScheme { Pbkdf2Sha256 = 1, Scrypt, LegacyDigest, LegacySha1Hex };

struct PasswordHashInfo
{
    PasswordHashScheme scheme = PasswordHashScheme::Pbkdf2Sha256;
    int iterations = 0;   // PBKDF2 only
    QString digest;       // "sha256", "sha1" ...
    int scryptLogN = 0;   // scrypt only: N = 2^scryptLogN
    int scryptR = 0;
    int scryptP = 0;

    bool isLegacy() const
    {
        return scheme != PasswordHashScheme::Pbkdf2Sha256 && scheme != PasswordHashScheme::Scrypt;
    }
};

inline constexpr int kDefaultPbkdf2Iterations = 600'000;   // OWASP's 2023 figure for PBKDF2-SHA256
inline constexpr int kMinPbkdf2Iterations = 1'000;
inline constexpr int kRecommendedPbkdf2Iterations = 100'000;   // below: a warning in gatehoused check
inline constexpr int kMaxPbkdf2Iterations = 10'000'000;        // bounds the cost of one login

// scrypt: OWASP's parameters (N = 2^17, r = 8, p = 1: 128 MiB and ~0.3 s per hash) by default.
// Bounds keep one login's memory at most 256 MiB (128 * r * N) and its work bounded.
inline constexpr int kDefaultScryptLogN = 17;
inline constexpr int kDefaultScryptR = 8;
inline constexpr int kDefaultScryptP = 1;
inline constexpr int kMinScryptLogN = 10;
inline constexpr int kRecommendedScryptLogN = 15;   // below: a warning in gatehoused check
inline constexpr int kMaxScryptLogN = 20;
inline constexpr qint64 kMaxScryptMemory = qint64(256) << 20;

// Checks the syntax of an encoded hash; the error is a sentence naming what is wrong.
Result<PasswordHashInfo> parsePasswordHash(const QString &encoded);

// A new PBKDF2 hash with a random 16-byte salt. Slow on purpose (iterations).
QString hashPassword(const QByteArray &password, int iterations = kDefaultPbkdf2Iterations);
// The same with a given salt, for tests and reproducible fixtures.
QString hashPasswordWithSalt(const QByteArray &password, const QByteArray &salt, int iterations);
// A new scrypt hash with a random 16-byte salt; empty when the parameters are out of bounds.
QString hashPasswordScrypt(const QByteArray &password, int logN = kDefaultScryptLogN, int r = kDefaultScryptR,
                           int p = kDefaultScryptP);
QString hashPasswordScryptWithSalt(const QByteArray &password, const QByteArray &salt, int logN, int r, int p);

// True when password matches the encoded hash (any accepted format). The comparison of the derived
// bytes is constant-time; a malformed hash never matches.
bool verifyPassword(const QByteArray &password, const QString &encoded);

} // namespace Gatehouse
