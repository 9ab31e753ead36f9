// Rules shared by the two JSON -> XML front ends (from a QJsonValue, and from body bytes).
#pragma once

#include <QByteArray>
#include <QString>

namespace Gatehouse {

// An XML qualified name as the rules accept it: a letter or '_' first, then letters, digits,
// '_', '-', '.', at most one ':' (not last); names starting with "xml" (any case) are reserved,
// except the namespace declarations "xmlns" and "xmlns:p".
bool isXmlName(const QString &name);

// A JSON number as text: integers below 1e15 as integers, anything else with 17 significant
// digits (so it reads back as the same double).
// writeJsonNumber writes it to `out` (at least kJsonNumberMaxBytes) and returns its length.
constexpr qsizetype kJsonNumberMaxBytes = 32;
QByteArray jsonNumberText(double d);
qsizetype writeJsonNumber(double d, char *out);

} // namespace Gatehouse
