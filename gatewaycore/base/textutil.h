// Small text helpers for diagnostics: nearest-name suggestions and human lists.
#pragma once

#include <QString>
#include <QStringList>

namespace Gatehouse {

// Levenshtein distance, case-insensitive; bounded work (inputs are names, not documents).
int editDistance(const QString &a, const QString &b);

// The candidate closest to `name` if it is close enough to be a plausible typo, else empty.
QString closestMatch(const QString &name, const QStringList &candidates);

// "'a', 'b' and 'c'"; "(none)" for an empty list.
QString quotedList(const QStringList &items);

// " (did you mean 'Gold'?)" or "".
QString didYouMean(const QString &name, const QStringList &candidates);

} // namespace Gatehouse
