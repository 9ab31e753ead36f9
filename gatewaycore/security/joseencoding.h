// The encodings JOSE objects are built from, read strictly: base64url without padding (canonical
// only) and JSON objects that refuse duplicate members.
#pragma once

#include "base/result.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QJsonObject>

#include <optional>

namespace Gatehouse {

// RFC 7515 §2 base64url: alphabet A–Z a–z 0–9 - _, no padding, no whitespace, and canonical —
// the unused low bits of the last character must be zero, so every byte string has exactly one
// encoding (a token cannot be altered without changing its signing input). nullopt when not.
std::optional<QByteArray> base64UrlDecode(QByteArrayView text);
QByteArray base64UrlEncode(QByteArrayView bytes);

// Parses one JSON object (RFC 8259) strictly: valid UTF-8, no duplicate member names at any depth
// (compared after unescaping, "a" equals "\u0061"), nesting at most 32 levels, nothing but
// whitespace after the object. The error says what is wrong, never echoing the input.
Result<QJsonObject> parseStrictJsonObject(QByteArrayView text);

} // namespace Gatehouse
