// Parsers for the value syntaxes of gatehouse.yaml (durations, sizes, secret references, Redis URLs)
// and the "did you mean" helper. Pure functions: no YAML, no diagnostics; errors are sentences.
#pragma once

#include "base/result.h"
#include "projectsettings.h"

#include <QString>
#include <QStringList>

#include <chrono>

namespace Gatehouse::SettingsValues {

// "250ms", "5s", "1m", "2h", "1d" and sums like "1m30s"; "0" alone is accepted. Never negative.
Result<std::chrono::milliseconds> parseDuration(const QString &text);

// "512B", "64KiB", "10MiB", "1GiB" (powers of 1024), "64KB", "10MB" (powers of 1000); "0" alone.
Result<qint64> parseSize(const QString &text);

// "${env:NAME}" / "${file:path}" become references; any other text is a literal. A value that looks
// like a reference ("${...}") but is not a valid one is an error rather than a surprising literal.
Result<SecretRef> parseSecretRef(const QString &text);

// "redis://host[:port][/db]" (IPv6 hosts in brackets). Credentials in the URL are refused: they
// would be a literal secret; use throttling.redisPassword instead.
Result<RedisStore> parseRedisUrl(const QString &text);

// Edit distance counting insertions, deletions, substitutions and adjacent swaps; case-insensitive.
int editDistance(QStringView a, QStringView b);

// The candidate closest to `word` when it is plausibly a typo of it, else an empty string.
QString closestMatch(const QString &word, const QStringList &candidates);

// "a, b or c" for messages listing allowed values.
QString joinAlternatives(const QStringList &values);

} // namespace Gatehouse::SettingsValues
