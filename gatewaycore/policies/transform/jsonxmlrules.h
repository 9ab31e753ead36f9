// Rules shared by the two JSON -> XML front ends (from a QJsonValue, and from body bytes).
#pragma once

#include <QByteArray>
#include <QByteArrayView>
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
// writeJsonNumber() of the double nearest a JSON number literal, for the literals most bodies
// carry (a fraction, no exponent, at most 15 significant digits, no smaller than 1e-4), without
// converting through the double's general formatting: one multiplication of exact integers. 0
// when the literal is not one of these (the caller converts); `out` as for writeJsonNumber.
qsizetype writeShortDecimal(QByteArrayView literal, char *out);

} // namespace Gatehouse
