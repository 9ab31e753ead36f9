// Strict base64url and strict JSON for JOSE headers, claims and keys.
#include "joseencoding.h"

#include <QJsonDocument>
#include <QList>

#include <array>

namespace Gatehouse {

namespace {

constexpr char kBase64UrlAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

constexpr std::array<signed char, 256> makeDecodeTable()
{
    std::array<signed char, 256> t{};
    for (auto &v : t)
        v = -1;
    for (int i = 0; i < 64; ++i)
        t[static_cast<unsigned char>(kBase64UrlAlphabet[i])] = static_cast<signed char>(i);
    return t;
}
constexpr std::array<signed char, 256> kBase64UrlDecode = makeDecodeTable();

constexpr int kMaxJsonDepth = 32;

// A recursive-descent checker: QJsonDocument keeps the last of duplicate members silently, so the
// text is checked here first and only then handed to it.
class StrictJsonChecker
{
public:
    explicit StrictJsonChecker(QByteArrayView text) : m_p(text.data()), m_end(text.data() + text.size()) {}

    QString check()
    {
        skipSpace();
        if (m_p == m_end || *m_p != '{')
            return QStringLiteral("not a JSON object");
        if (!value(0))
            return m_error;
        skipSpace();
        if (m_p != m_end)
            return QStringLiteral("text after the JSON object");
        return {};
    }

private:
    bool fail(const QString &message)
    {
        if (m_error.isEmpty())
            m_error = message;
        return false;
    }
    void skipSpace()
    {
        while (m_p != m_end && (*m_p == ' ' || *m_p == '\t' || *m_p == '\n' || *m_p == '\r'))
            ++m_p;
    }
    bool value(int depth)
    {
        if (depth > kMaxJsonDepth)
            return fail(QStringLiteral("JSON nested too deeply"));
        skipSpace();
        if (m_p == m_end)
            return fail(QStringLiteral("truncated JSON"));
        switch (*m_p) {
        case '{': return object(depth + 1);
        case '[': return array(depth + 1);
        case '"': return string(nullptr);
        case 't': return literal("true");
        case 'f': return literal("false");
        case 'n': return literal("null");
        default: return number();
        }
    }
    bool literal(const char *word)
    {
        const QByteArrayView w(word);
        if (m_end - m_p < w.size() || QByteArrayView(m_p, w.size()) != w)
            return fail(QStringLiteral("invalid JSON literal"));
        m_p += w.size();
        return true;
    }
    bool digits()
    {
        const char *start = m_p;
        while (m_p != m_end && *m_p >= '0' && *m_p <= '9')
            ++m_p;
        return m_p != start;
    }
    bool number()
    {
        if (m_p != m_end && *m_p == '-')
            ++m_p;
        if (m_p != m_end && *m_p == '0') {
            ++m_p;
        } else if (!digits()) {
            return fail(QStringLiteral("invalid JSON value"));
        }
        if (m_p != m_end && *m_p == '.') {
            ++m_p;
            if (!digits())
                return fail(QStringLiteral("invalid JSON number"));
        }
        if (m_p != m_end && (*m_p == 'e' || *m_p == 'E')) {
            ++m_p;
            if (m_p != m_end && (*m_p == '+' || *m_p == '-'))
                ++m_p;
            if (!digits())
                return fail(QStringLiteral("invalid JSON number"));
        }
        return true;
    }
    static void appendUtf8(QByteArray &out, char32_t c)
    {
        if (c < 0x80) {
            out.append(char(c));
        } else if (c < 0x800) {
            out.append(char(0xC0 | (c >> 6))).append(char(0x80 | (c & 0x3F)));
        } else if (c < 0x10000) {
            out.append(char(0xE0 | (c >> 12))).append(char(0x80 | ((c >> 6) & 0x3F))).append(char(0x80 | (c & 0x3F)));
        } else {
            out.append(char(0xF0 | (c >> 18))).append(char(0x80 | ((c >> 12) & 0x3F)));
            out.append(char(0x80 | ((c >> 6) & 0x3F))).append(char(0x80 | (c & 0x3F)));
        }
    }
    bool hex4(char32_t &out)
    {
        if (m_end - m_p < 4)
            return false;
        out = 0;
        for (int i = 0; i < 4; ++i, ++m_p) {
            const char c = *m_p;
            const int v = (c >= '0' && c <= '9') ? c - '0'
                          : (c >= 'a' && c <= 'f') ? c - 'a' + 10
                          : (c >= 'A' && c <= 'F') ? c - 'A' + 10
                                                   : -1;
            if (v < 0)
                return false;
            out = (out << 4) | char32_t(v);
        }
        return true;
    }
    // One UTF-8 sequence starting at m_p (a non-ASCII lead byte), checked for shortest form,
    // surrogates and range.
    bool utf8Sequence(QByteArray *out)
    {
        const auto b0 = static_cast<unsigned char>(*m_p);
        int extra = 0;
        char32_t c = 0;
        if (b0 >= 0xC2 && b0 <= 0xDF) {
            extra = 1;
            c = b0 & 0x1F;
        } else if (b0 >= 0xE0 && b0 <= 0xEF) {
            extra = 2;
            c = b0 & 0x0F;
        } else if (b0 >= 0xF0 && b0 <= 0xF4) {
            extra = 3;
            c = b0 & 0x07;
        } else {
            return false;
        }
        if (m_end - m_p <= extra)
            return false;
        for (int i = 1; i <= extra; ++i) {
            const auto b = static_cast<unsigned char>(m_p[i]);
            if ((b & 0xC0) != 0x80)
                return false;
            c = (c << 6) | (b & 0x3F);
        }
        if ((extra == 2 && (c < 0x800 || (c >= 0xD800 && c <= 0xDFFF))) || (extra == 3 && (c < 0x10000 || c > 0x10FFFF)))
            return false;
        if (out)
            out->append(m_p, extra + 1);
        m_p += extra + 1;
        return true;
    }
    bool string(QByteArray *decoded)
    {
        ++m_p;   // opening quote
        while (m_p != m_end) {
            const auto c = static_cast<unsigned char>(*m_p);
            if (c == '"') {
                ++m_p;
                return true;
            }
            if (c < 0x20)
                return fail(QStringLiteral("control character in a JSON string"));
            if (c == '\\') {
                if (++m_p == m_end)
                    break;
                const char e = *m_p++;
                char32_t u = 0;
                switch (e) {
                case '"': case '\\': case '/': u = char32_t(e); break;
                case 'b': u = '\b'; break;
                case 'f': u = '\f'; break;
                case 'n': u = '\n'; break;
                case 'r': u = '\r'; break;
                case 't': u = '\t'; break;
                case 'u':
                    if (!hex4(u))
                        return fail(QStringLiteral("invalid \\u escape in a JSON string"));
                    if (u >= 0xD800 && u <= 0xDBFF) {
                        char32_t low = 0;
                        if (m_end - m_p < 2 || m_p[0] != '\\' || m_p[1] != 'u' || (m_p += 2, !hex4(low))
                            || low < 0xDC00 || low > 0xDFFF)
                            return fail(QStringLiteral("unpaired surrogate in a JSON string"));
                        u = 0x10000 + ((u - 0xD800) << 10) + (low - 0xDC00);
                    } else if (u >= 0xDC00 && u <= 0xDFFF) {
                        return fail(QStringLiteral("unpaired surrogate in a JSON string"));
                    }
                    break;
                default:
                    return fail(QStringLiteral("invalid escape in a JSON string"));
                }
                if (decoded)
                    appendUtf8(*decoded, u);
                continue;
            }
            if (c >= 0x80) {
                if (!utf8Sequence(decoded))
                    return fail(QStringLiteral("invalid UTF-8 in a JSON string"));
                continue;
            }
            if (decoded)
                decoded->append(char(c));
            ++m_p;
        }
        return fail(QStringLiteral("unterminated JSON string"));
    }
    bool object(int depth)
    {
        ++m_p;
        QList<QByteArray> names;
        skipSpace();
        if (m_p != m_end && *m_p == '}') {
            ++m_p;
            return true;
        }
        while (true) {
            skipSpace();
            if (m_p == m_end || *m_p != '"')
                return fail(QStringLiteral("expected a member name in a JSON object"));
            QByteArray name;
            if (!string(&name))
                return false;
            if (names.contains(name))
                return fail(QStringLiteral("duplicate member \"%1\" in a JSON object").arg(QString::fromUtf8(name.left(40))));
            names.append(name);
            skipSpace();
            if (m_p == m_end || *m_p != ':')
                return fail(QStringLiteral("expected ':' in a JSON object"));
            ++m_p;
            if (!value(depth))
                return false;
            skipSpace();
            if (m_p != m_end && *m_p == ',') {
                ++m_p;
                continue;
            }
            if (m_p != m_end && *m_p == '}') {
                ++m_p;
                return true;
            }
            return fail(QStringLiteral("expected ',' or '}' in a JSON object"));
        }
    }
    bool array(int depth)
    {
        ++m_p;
        skipSpace();
        if (m_p != m_end && *m_p == ']') {
            ++m_p;
            return true;
        }
        while (true) {
            if (!value(depth))
                return false;
            skipSpace();
            if (m_p != m_end && *m_p == ',') {
                ++m_p;
                continue;
            }
            if (m_p != m_end && *m_p == ']') {
                ++m_p;
                return true;
            }
            return fail(QStringLiteral("expected ',' or ']' in a JSON array"));
        }
    }

    const char *m_p;
    const char *m_end;
    QString m_error;
};

} // namespace

std::optional<QByteArray> base64UrlDecode(QByteArrayView text)
{
    const qsizetype n = text.size();
    if (n % 4 == 1)
        return std::nullopt;
    QByteArray out;
    out.reserve(n * 3 / 4);
    quint32 acc = 0;
    int bits = 0;
    int last = 0;
    for (qsizetype i = 0; i < n; ++i) {
        const int v = kBase64UrlDecode[static_cast<unsigned char>(text[i])];
        if (v < 0)
            return std::nullopt;
        last = v;
        acc = (acc << 6) | quint32(v);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out.append(char((acc >> bits) & 0xFF));
        }
    }
    // Canonical: the bits left over after the last full byte must be zero.
    if (bits > 0 && (last & ((1 << bits) - 1)) != 0)
        return std::nullopt;
    return out;
}

QByteArray base64UrlEncode(QByteArrayView bytes)
{
    return bytes.toByteArray().toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

Result<QJsonObject> parseStrictJsonObject(QByteArrayView text)
{
    StrictJsonChecker checker(text);
    if (const QString problem = checker.check(); !problem.isEmpty())
        return Error::config(problem);
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(text.toByteArray(), &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return Error::config(QStringLiteral("not a JSON object"));
    return doc.object();
}

} // namespace Gatehouse
