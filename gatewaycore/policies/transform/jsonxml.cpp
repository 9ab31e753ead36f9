// JSON -> XML from a QJsonValue by fixed rules, bounded on hostile input (XML -> JSON: xmltojson.cpp).
#include "jsonxml.h"

#include "jsonxmlrules.h"
#include "xmlbytewriter.h"

#include <QJsonArray>
#include <QJsonObject>

#include <array>
#include <charconv>
#include <cmath>
#include <cstring>
#include <vector>

namespace Gatehouse {

namespace {

bool isNameStart(QChar c)
{
    return c.isLetter() || c == u'_';
}

bool isNameChar(QChar c)
{
    return c.isLetterOrNumber() || c == u'_' || c == u'-' || c == u'.';
}

// Every byte-writer call below mirrors a QXmlStreamWriter call of the original converter; the
// output is the same (tst_jsonxml compares them), only faster.
class Writer
{
public:
    Writer(const JsonXmlLimits &limits) : m_limits(limits) {}

    Result<QByteArray> run(const QJsonValue &json, const QString &rootName)
    {
        m_xml.startDocument();
        const QJsonObject o = json.toObject();
        if (json.isObject() && o.size() == 1 && !o.begin().value().isArray() && !o.begin().key().startsWith(u'@')
            && o.begin().key() != u"#text")
            element(o.begin().key(), o.begin().value(), 1);
        else
            element(rootName, json, 1);
        if (!m_error.isEmpty())
            return Error::config(m_error);
        if (m_xml.failed())
            return Error::config(QStringLiteral("a string holds an unpaired UTF-16 surrogate, which XML cannot carry"));
        m_xml.endDocument();
        return m_xml.take();
    }

private:
    bool count(int depth)
    {
        if (!m_error.isEmpty())
            return false;
        if (depth > m_limits.maxDepth)
            m_error = QStringLiteral("nested deeper than %1 levels").arg(m_limits.maxDepth);
        else if (++m_nodes > m_limits.maxNodes)
            m_error = QStringLiteral("more than %1 nodes").arg(m_limits.maxNodes);
        return m_error.isEmpty();
    }

    // scalarText of the rules: strings as they are, numbers in JSON form, true/false, else empty.
    void text(const QJsonValue &v, const QByteArray *attribute)
    {
        QByteArray latin1;
        switch (v.type()) {
        case QJsonValue::String: {
            const QString s = v.toString();
            attribute ? m_xml.attribute(*attribute, QStringView(s)) : m_xml.characters(QStringView(s));
            return;
        }
        case QJsonValue::Bool: latin1 = v.toBool() ? QByteArrayLiteral("true") : QByteArrayLiteral("false"); break;
        case QJsonValue::Double: latin1 = jsonNumberText(v.toDouble()); break;
        default: break;
        }
        attribute ? m_xml.attribute(*attribute, QByteArrayView(latin1)) : m_xml.characters(QByteArrayView(latin1));
    }

    void element(const QString &name, const QJsonValue &value, int depth)
    {
        if (!count(depth))
            return;
        if (!isXmlName(name) || name.startsWith(QStringLiteral("xmlns"))) {
            m_error = QStringLiteral("'%1' is not an XML element name").arg(name);
            return;
        }
        const QByteArray name8 = name.toUtf8();
        m_xml.startElement(name8);
        if (value.isObject()) {
            const QJsonObject o = value.toObject();
            for (auto it = o.begin(); it != o.end() && m_error.isEmpty(); ++it) {   // attributes first
                if (!it.key().startsWith(u'@'))
                    continue;
                const QString attr = it.key().mid(1);
                if (!isXmlName(attr) || it.value().isObject() || it.value().isArray()) {
                    m_error = QStringLiteral("'%1' is not an attribute (an XML name with a scalar value)").arg(it.key());
                    return;
                }
                const QByteArray attr8 = attr.toUtf8();
                text(it.value(), &attr8);
            }
            for (auto it = o.begin(); it != o.end() && m_error.isEmpty(); ++it) {
                if (it.key().startsWith(u'@'))
                    continue;
                if (it.key() == u"#text") {
                    text(it.value(), nullptr);
                } else if (it.value().isArray()) {
                    const QJsonArray items = it.value().toArray();
                    for (const QJsonValue &item : items)
                        element(it.key(), item, depth + 1);
                } else {
                    element(it.key(), it.value(), depth + 1);
                }
            }
        } else if (value.isArray()) {
            const QJsonArray items = value.toArray();
            for (const QJsonValue &item : items)
                element(QStringLiteral("item"), item, depth + 1);
        } else {
            text(value, nullptr);
        }
        m_xml.endElement(name8);
    }

    const JsonXmlLimits &m_limits;
    XmlByteWriter m_xml;
    QString m_error;
    qint64 m_nodes = 0;
};

} // namespace

bool isXmlName(const QString &name)
{
    // "xmlns" and "xmlns:p" declare namespaces; other names starting with "xml" are reserved.
    const bool xmlns = name.startsWith(QStringLiteral("xmlns"));
    if (name.isEmpty() || !isNameStart(name.front()) || (name.startsWith(QStringLiteral("xml"), Qt::CaseInsensitive) && !xmlns))
        return false;
    int colons = 0;
    for (QChar c : name) {
        if (c == u':')
            ++colons;
        else if (!isNameChar(c))
            return false;
    }
    return colons <= 1 && !name.endsWith(u':');
}

namespace {

// Whether d's exact decimal expansion has exactly 18 significant digits (the last one then is a
// 5): a tie when rounded to 17, which Qt rounds up and std::to_chars to even. d = n * 2^e with n
// odd has the digits of n * 5^-e when e < 0, and an integer (e >= 0) below 2^53 has at most 16.
bool tieAt17Digits(double d)
{
    int exponent = 0;
    const double mantissa = std::frexp(std::fabs(d), &exponent);   // [0.5, 1) * 2^exponent
    quint64 n = quint64(std::ldexp(mantissa, 53));
    int e = exponent - 53;
    if (n == 0)
        return false;
    while ((n & 1) == 0) {
        n >>= 1;
        ++e;
    }
    if (e >= 0 || e < -27)   // 5^28 alone has 20 digits
        return false;
    quint64 digits = n;   // below 2^53, and kept below 10^18: never overflows
    for (int i = 0; i < -e; ++i) {
        if (digits >= 200'000'000'000'000'000ULL)
            return false;   // 19 digits or more once multiplied
        digits *= 5;
    }
    return digits >= 100'000'000'000'000'000ULL;
}

} // namespace

qsizetype writeJsonNumber(double d, char *out)
{
    // The range test first: converting a double outside qint64's range is undefined.
    if (qAbs(d) < 1e15 && d == double(qint64(d)))
        return std::to_chars(out, out + kJsonNumberMaxBytes, qint64(d)).ptr - out;
    if (tieAt17Digits(d)) {   // rare: Qt's formatting, exactly as before
        const QByteArray text = QByteArray::number(d, 'g', 17);
        std::memcpy(out, text.constData(), size_t(text.size()));
        return text.size();
    }
    // The same text as QByteArray::number(d, 'g', 17) (tst_jsonxml checks), without allocating.
    return std::to_chars(out, out + kJsonNumberMaxBytes, d, std::chars_format::general, 17).ptr - out;
}

qsizetype writeShortDecimal(QByteArrayView literal, char *out)
{
    // The literal's digits as an integer `a` and its fraction digits `k`: the value is a / 10^k,
    // and with a < 10^15 and k <= 22 both are exact doubles, so one division gives the nearest
    // double d (Clinger's fast path).
    const bool negative = literal.startsWith('-');
    quint64 a = 0;
    int significant = 0;
    int integerDigits = 0;      // significant digits before the point
    int leadingFraction = 0;    // zeros after the point before the first significant digit
    int k = -1;                 // digits after the point (-1: no point seen)
    qsizetype lastNonZero = 0;  // one past the literal's last nonzero digit
    for (qsizetype i = negative ? 1 : 0; i < literal.size(); ++i) {
        const char c = literal[i];
        if (c == '.') {
            k = 0;
            continue;
        }
        if (c < '0' || c > '9')
            return 0;   // an exponent
        k += k >= 0;
        if (c != '0')
            lastNonZero = i + 1;
        else if (a == 0) {
            leadingFraction += k > 0;
            continue;
        }
        if (++significant > 15)
            return 0;
        a = a * 10 + quint64(c - '0');
        integerDigits += k < 0;
    }
    if (k <= 0 || k > 22 || a == 0)
        return 0;
    static constexpr double kPow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                                        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    static constexpr quint64 kPow10Int[] = {1ULL, 10ULL, 100ULL, 1000ULL, 10000ULL, 100000ULL, 1000000ULL,
                                            10000000ULL, 100000000ULL, 1000000000ULL, 10000000000ULL,
                                            100000000000ULL, 1000000000000ULL, 10000000000000ULL,
                                            100000000000000ULL, 1000000000000000ULL, 10000000000000000ULL,
                                            100000000000000000ULL, 1000000000000000000ULL,
                                            10000000000000000000ULL};
    const double d = double(a) / kPow10[k];
    // The decimal exponent of the leading digit; 'g' with 17 digits writes -4 <= X < 17 without one.
    const int x = integerDigits > 0 ? integerDigits - 1 : -(leadingFraction + 1);
    if (x < -4)
        return 0;
    quint64 bits = 0;
    std::memcpy(&bits, &d, sizeof bits);
    const int shift = 1075 - int((bits >> 52) & 0x7FF);   // d = m / 2^shift
    const quint64 m = (bits & ((1ULL << 52) - 1)) | (1ULL << 52);
    if (shift <= 0 || shift > 120 || (shift <= 52 && (m & ((1ULL << shift) - 1)) == 0))
        return 0;   // an integer (written as one), or beyond the 128-bit product below
    // q = d * 10^(16 - x) rounded: the 17 significant digits. m < 2^53 and 10^20 < 2^67.
    __extension__ typedef unsigned __int128 U128;
    const int p = 16 - x;
    U128 scaled = U128(m) * kPow10Int[p > 19 ? 19 : p];
    if (p > 19)
        scaled *= 10;
    U128 q = scaled >> shift;
    const U128 rest = scaled - (q << shift);
    const U128 half = U128(1) << (shift - 1);
    if (rest == half)
        return 0;   // an exact tie: Qt's rounding differs from to_chars', writeJsonNumber knows
    q += rest > half;
    constexpr quint64 kLow = 10'000'000'000'000'000ULL;   // 10^16
    if (q < kLow || q >= kLow * 10)
        return 0;   // the rounding crossed a power of ten
    // Most often the 17 digits are the literal's, zeros appended: then the text is the literal
    // without the zeros that end its fraction.
    if (quint64(q) == a * kPow10Int[17 - significant]) {
        std::memcpy(out, literal.data(), size_t(lastNonZero));
        return lastNonZero;
    }
    // The 17 digits, two at a time from a table: 9 of the high part, 8 of the low one.
    static constexpr auto kPairs = [] {
        std::array<char, 200> t{};
        for (int i = 0; i < 100; ++i) {
            t[size_t(2 * i)] = char('0' + i / 10);
            t[size_t(2 * i + 1)] = char('0' + i % 10);
        }
        return t;
    }();
    char digits[17];
    quint32 high = quint32(quint64(q) / 100'000'000);
    quint32 low = quint32(quint64(q) % 100'000'000);
    for (int i = 15; i >= 9; i -= 2, low /= 100)
        std::memcpy(digits + i, &kPairs[size_t(2 * (low % 100))], 2);
    for (int i = 7; i >= 1; i -= 2, high /= 100)
        std::memcpy(digits + i, &kPairs[size_t(2 * (high % 100))], 2);
    digits[0] = char('0' + high);
    int used = 17;
    while (digits[used - 1] == '0')
        --used;
    char *o = out;
    if (negative)
        *o++ = '-';
    if (x >= 0) {   // d is no integer: digits follow the point
        std::memcpy(o, digits, size_t(x + 1));
        o += x + 1;
        *o++ = '.';
        std::memcpy(o, digits + x + 1, size_t(used - x - 1));
        o += used - x - 1;
    } else {
        std::memcpy(o, "0.0000", size_t(1 - x));   // "0." and -x - 1 zeros
        o += 1 - x;
        std::memcpy(o, digits, size_t(used));
        o += used;
    }
    return o - out;
}

QByteArray jsonNumberText(double d)
{
    char text[kJsonNumberMaxBytes];
    return QByteArray(text, writeJsonNumber(d, text));
}

Result<QByteArray> jsonToXml(const QJsonValue &json, const QString &rootName, const JsonXmlLimits &limits)
{
    return Writer(limits).run(json, rootName);
}

} // namespace Gatehouse
