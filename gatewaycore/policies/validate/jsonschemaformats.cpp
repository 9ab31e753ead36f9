// JSON Schema formats OpenAPI uses (RFC 3339 dates, email, uuid, uri, ip addresses, int32/int64,
// base64 bytes ...) and the JSON helpers the validator shares: equality, canonical keys, names.
#include "jsonschemanode.h"

#include <QHostAddress>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUrl>

#include <cmath>

namespace Gatehouse {

namespace {

bool digits(QStringView s, qsizetype from, qsizetype n, int *out)
{
    if (from + n > s.size())
        return false;
    int v = 0;
    for (qsizetype i = from; i < from + n; ++i) {
        const char16_t c = s[i].unicode();
        if (c < u'0' || c > u'9')
            return false;
        v = v * 10 + (c - u'0');
    }
    *out = v;
    return true;
}

bool isLeap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

// RFC 3339 full-date: 2024-02-29
bool isDate(QStringView s)
{
    int y = 0, m = 0, d = 0;
    if (s.size() != 10 || s[4] != u'-' || s[7] != u'-' || !digits(s, 0, 4, &y) || !digits(s, 5, 2, &m)
        || !digits(s, 8, 2, &d))
        return false;
    static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12 || d < 1)
        return false;
    return d <= kDays[m - 1] + (m == 2 && isLeap(y) ? 1 : 0);
}

// RFC 3339 full-time: 23:59:60.5+01:00 (a time zone is required)
bool isTime(QStringView s)
{
    int h = 0, m = 0, sec = 0;
    if (s.size() < 9 || s[2] != u':' || s[5] != u':' || !digits(s, 0, 2, &h) || !digits(s, 3, 2, &m)
        || !digits(s, 6, 2, &sec) || h > 23 || m > 59 || sec > 60)
        return false;
    qsizetype i = 8;
    if (i < s.size() && s[i] == u'.') {
        const qsizetype start = ++i;
        while (i < s.size() && s[i].isDigit() && s[i].unicode() < 128)
            ++i;
        if (i == start)
            return false;
    }
    const QStringView zone = s.mid(i);
    if (zone == u"Z" || zone == u"z")
        return true;
    int zh = 0, zm = 0;
    return zone.size() == 6 && (zone[0] == u'+' || zone[0] == u'-') && zone[3] == u':' && digits(zone, 1, 2, &zh)
           && digits(zone, 4, 2, &zm) && zh <= 23 && zm <= 59;
}

bool isDateTime(QStringView s)
{
    return s.size() > 11 && (s[10] == u'T' || s[10] == u't') && isDate(s.first(10)) && isTime(s.mid(11));
}

bool isHostname(QStringView s)
{
    if (s.endsWith(u'.'))
        s.chop(1);
    if (s.isEmpty() || s.size() > 253)
        return false;
    for (QStringView label : s.split(u'.')) {
        if (label.isEmpty() || label.size() > 63 || label.front() == u'-' || label.back() == u'-')
            return false;
        for (QChar c : label) {
            if (!(c.unicode() < 128 && (c.isLetterOrNumber() || c == u'-')))
                return false;
        }
    }
    return true;
}

// A practical RFC 5321 check: local@domain, no spaces or controls, a dotted domain or [address].
bool isEmail(QStringView s)
{
    const qsizetype at = s.lastIndexOf(u'@');
    if (at <= 0 || at == s.size() - 1 || at > 64)
        return false;
    const QStringView local = s.first(at);
    const QStringView domain = s.mid(at + 1);
    if (local.startsWith(u'.') || local.endsWith(u'.') || local.contains(u".."))
        return false;
    for (QChar c : local) {
        if (c.unicode() <= 32 || c.unicode() == 127 || QStringView(u"()<>[]:;@\\,\"").contains(c))
            return false;
    }
    if (domain.startsWith(u'[') && domain.endsWith(u']'))
        return !QHostAddress(domain.mid(1, domain.size() - 2).toString()).isNull();
    return isHostname(domain);
}

bool isUuid(QStringView s)
{
    if (s.size() != 36)
        return false;
    for (qsizetype i = 0; i < 36; ++i) {
        const char16_t c = s[i].unicode();
        const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? c != u'-' : !((c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'f') || (c >= u'A' && c <= u'F')))
            return false;
    }
    return true;
}

bool isIpv4(QStringView s)
{
    const auto parts = s.split(u'.');
    if (parts.size() != 4)
        return false;
    for (QStringView p : parts) {
        int v = 0;
        if (p.isEmpty() || p.size() > 3 || (p.size() > 1 && p[0] == u'0') || !digits(p, 0, p.size(), &v) || v > 255)
            return false;
    }
    return true;
}

bool isIpv6(QStringView s)
{
    if (!s.contains(u':') || s.contains(u'%'))
        return false;
    QHostAddress a;
    return a.setAddress(s.toString()) && a.protocol() == QAbstractSocket::IPv6Protocol;
}

bool uriCharsOk(QStringView s)
{
    for (QChar c : s) {
        if (c.unicode() <= 32 || c.unicode() >= 127 || QStringView(u"\"<>\\^`{|}").contains(c))
            return false;
    }
    return true;
}

bool isUriReference(QStringView s)
{
    return uriCharsOk(s) && QUrl(s.toString(), QUrl::StrictMode).isValid();
}

bool isUri(QStringView s)
{
    if (!isUriReference(s))
        return false;
    const qsizetype colon = s.indexOf(u':');
    if (colon <= 0 || !s[0].isLetter())
        return false;
    for (QChar c : s.first(colon)) {
        if (!(c.isLetterOrNumber() || c == u'+' || c == u'-' || c == u'.'))
            return false;
    }
    return true;
}

bool isBase64(QStringView s)
{
    if (s.size() % 4 != 0)
        return false;
    qsizetype padding = 0;
    for (qsizetype i = 0; i < s.size(); ++i) {
        const char16_t c = s[i].unicode();
        if (c == u'=') {
            ++padding;
            continue;
        }
        const bool alphabet = (c >= u'A' && c <= u'Z') || (c >= u'a' && c <= u'z') || (c >= u'0' && c <= u'9')
                              || c == u'+' || c == u'/';
        if (!alphabet || padding > 0)
            return false;
    }
    return padding <= 2;
}

bool integralIn(double d, double lo, double hi)
{
    return std::isfinite(d) && d == std::floor(d) && d >= lo && d <= hi;
}

} // namespace

SchemaFormat schemaFormatFromName(QStringView name)
{
    static const QHash<QString, SchemaFormat> formats{
        {QStringLiteral("date-time"), SchemaFormat::DateTime}, {QStringLiteral("date"), SchemaFormat::Date},
        {QStringLiteral("time"), SchemaFormat::Time},           {QStringLiteral("email"), SchemaFormat::Email},
        {QStringLiteral("uuid"), SchemaFormat::Uuid},           {QStringLiteral("uri"), SchemaFormat::Uri},
        {QStringLiteral("uri-reference"), SchemaFormat::UriReference},
        {QStringLiteral("hostname"), SchemaFormat::Hostname},   {QStringLiteral("ipv4"), SchemaFormat::Ipv4},
        {QStringLiteral("ipv6"), SchemaFormat::Ipv6},           {QStringLiteral("int32"), SchemaFormat::Int32},
        {QStringLiteral("int64"), SchemaFormat::Int64},         {QStringLiteral("float"), SchemaFormat::Float},
        {QStringLiteral("double"), SchemaFormat::Double},       {QStringLiteral("byte"), SchemaFormat::Byte},
        {QStringLiteral("regex"), SchemaFormat::Regex},
    };
    return formats.value(name.toString(), SchemaFormat::None);
}

bool checkFormat(SchemaFormat format, const QJsonValue &value)
{
    if (value.isDouble()) {
        const double d = value.toDouble();
        switch (format) {
        case SchemaFormat::Int32: return integralIn(d, -2147483648.0, 2147483647.0);
        // 2^63 is the first double above qint64's range.
        case SchemaFormat::Int64: return integralIn(d, -9223372036854775808.0, 9223372036854774784.0);
        case SchemaFormat::Float: return std::isfinite(d) && std::fabs(d) <= 3.4028234663852886e38;
        case SchemaFormat::Double: return std::isfinite(d);
        default: return true;
        }
    }
    if (!value.isString())
        return true;
    const QString s = value.toString();
    switch (format) {
    case SchemaFormat::DateTime: return isDateTime(s);
    case SchemaFormat::Date: return isDate(s);
    case SchemaFormat::Time: return isTime(s);
    case SchemaFormat::Email: return isEmail(s);
    case SchemaFormat::Uuid: return isUuid(s);
    case SchemaFormat::Uri: return isUri(s);
    case SchemaFormat::UriReference: return isUriReference(s);
    case SchemaFormat::Hostname: return isHostname(s);
    case SchemaFormat::Ipv4: return isIpv4(s);
    case SchemaFormat::Ipv6: return isIpv6(s);
    case SchemaFormat::Byte: return isBase64(s);
    case SchemaFormat::Regex: return QRegularExpression(s).isValid();
    default: return true;
    }
}

bool jsonEquals(const QJsonValue &a, const QJsonValue &b)
{
    if (a.type() != b.type())
        return false;
    switch (a.type()) {
    case QJsonValue::Double: return a.toDouble() == b.toDouble();
    case QJsonValue::String: return a.toString() == b.toString();
    case QJsonValue::Bool: return a.toBool() == b.toBool();
    case QJsonValue::Array: {
        const QJsonArray x = a.toArray(), y = b.toArray();
        if (x.size() != y.size())
            return false;
        for (qsizetype i = 0; i < x.size(); ++i) {
            if (!jsonEquals(x.at(i), y.at(i)))
                return false;
        }
        return true;
    }
    case QJsonValue::Object: {
        const QJsonObject x = a.toObject(), y = b.toObject();
        if (x.size() != y.size())
            return false;
        for (auto it = x.begin(); it != x.end(); ++it) {
            const auto other = y.constFind(it.key());
            if (other == y.constEnd() || !jsonEquals(it.value(), other.value()))
                return false;
        }
        return true;
    }
    default: return true;   // null, undefined
    }
}

QByteArray jsonCanonicalKey(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Double: return "n" + QByteArray::number(value.toDouble(), 'g', 17);
    case QJsonValue::String: return "s" + value.toString().toUtf8();
    case QJsonValue::Bool: return value.toBool() ? "t" : "f";
    case QJsonValue::Array: return "a" + QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact);
    case QJsonValue::Object: return "o" + QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact);
    default: return "z";
    }
}

QString jsonTypeName(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Null: return QStringLiteral("null");
    case QJsonValue::Bool: return QStringLiteral("boolean");
    case QJsonValue::Double: {
        const double d = value.toDouble();
        return std::isfinite(d) && d == std::floor(d) ? QStringLiteral("integer") : QStringLiteral("number");
    }
    case QJsonValue::String: return QStringLiteral("string");
    case QJsonValue::Array: return QStringLiteral("array");
    case QJsonValue::Object: return QStringLiteral("object");
    case QJsonValue::Undefined: return QStringLiteral("nothing");
    }
    return QStringLiteral("unknown");
}

QString jsonShort(const QJsonValue &value)
{
    QString s;
    switch (value.type()) {
    case QJsonValue::String:
        s = QString::fromUtf8(QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact));
        s = s.mid(1, s.size() - 2);
        break;
    case QJsonValue::Double: s = QString::number(value.toDouble(), 'g', 17); break;
    case QJsonValue::Array: s = QString::fromUtf8(QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact)); break;
    case QJsonValue::Object: s = QString::fromUtf8(QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact)); break;
    default: s = jsonTypeName(value);
    }
    return s.size() > 40 ? s.first(37) + QStringLiteral("...") : s;
}

QString schemaTypeList(quint8 types)
{
    static const std::pair<quint8, const char *> kNames[] = {
        {kTypeObject, "object"}, {kTypeArray, "array"},     {kTypeString, "string"}, {kTypeNumber, "number"},
        {kTypeInteger, "integer"}, {kTypeBoolean, "boolean"}, {kTypeNull, "null"},
    };
    QStringList names;
    for (const auto &[bit, name] : kNames) {
        if (types & bit)
            names.append(QLatin1StringView(name));
    }
    return names.join(QStringLiteral(" or "));
}

bool schemaTypeMatches(quint8 types, const QJsonValue &v)
{
    switch (v.type()) {
    case QJsonValue::Null: return types & kTypeNull;
    case QJsonValue::Bool: return types & kTypeBoolean;
    case QJsonValue::Object: return types & kTypeObject;
    case QJsonValue::Array: return types & kTypeArray;
    case QJsonValue::String: return types & kTypeString;
    case QJsonValue::Double: {
        if (types & kTypeNumber)
            return true;
        const double d = v.toDouble();
        return (types & kTypeInteger) && std::isfinite(d) && d == std::floor(d);
    }
    case QJsonValue::Undefined: return false;
    }
    return false;
}

qsizetype codePointCount(const QString &s)
{
    qsizetype n = s.size();
    for (QChar c : s) {
        if (c.isHighSurrogate())
            --n;
    }
    return n;
}

} // namespace Gatehouse
