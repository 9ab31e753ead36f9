// google.api.http path templates: a small recursive-descent parser and a linear matcher ("**"
// can only be last, so no backtracking is needed).
#include "transcodepath.h"

#include "base/hexdigit.h"

namespace Gatehouse {

namespace {

bool isIdentStart(QChar c)
{
    return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || c == u'_';
}

bool isIdentChar(QChar c)
{
    return isIdentStart(c) || (c >= u'0' && c <= u'9');
}

// RFC 3986 pchar minus what the syntax uses itself ('/', '{', '}', '=', '*', ':' in a verb).
bool isLiteralChar(QChar c)
{
    if (c.unicode() > 0x7e || c.unicode() <= 0x20)
        return false;
    return !QStringView(u"/{}=*?#").contains(c);
}

// Percent-decodes; keepSlash leaves "%2F" encoded (multi-segment variables). Nothing when an
// escape is malformed.
std::optional<QByteArray> percentDecode(QByteArrayView in, bool keepSlash)
{
    QByteArray out;
    out.reserve(in.size());
    for (qsizetype i = 0; i < in.size(); ++i) {
        if (in[i] != '%') {
            out.append(in[i]);
            continue;
        }
        if (i + 2 >= in.size())
            return std::nullopt;
        const int hi = hexDigitValue(in[i + 1]);
        const int lo = hexDigitValue(in[i + 2]);
        if (hi < 0 || lo < 0)
            return std::nullopt;
        const char c = char(hi * 16 + lo);
        if (keepSlash && c == '/')
            out.append(in.sliced(i, 3));
        else
            out.append(c);
        i += 2;
    }
    return out;
}

} // namespace

// Recursive descent over the grammar in http.proto.
class HttpPathTemplate::Parser
{
public:
    Parser(QStringView text, HttpPathTemplate &out) : m_text(text), m_out(out) {}

    bool run()
    {
        if (!eat(u'/'))
            return fail(QStringLiteral("a path template starts with '/'"));
        if (!segments(-1))
            return false;
        if (eat(u':')) {
            const qsizetype start = m_pos;
            while (!atEnd() && isLiteralChar(peek()) && peek() != u':')
                ++m_pos;
            m_out.m_verb = m_text.sliced(start, m_pos - start).toUtf8();
            if (m_out.m_verb.isEmpty())
                return fail(QStringLiteral("expected a verb after ':'"));
        }
        if (!atEnd())
            return fail(QStringLiteral("unexpected '%1'").arg(peek()));
        for (qsizetype i = 0; i + 1 < m_out.m_segments.size(); ++i) {
            if (m_out.m_segments[i].kind == Kind::AnyMany)
                return fail(QStringLiteral("'**' must be the last segment"));
        }
        return true;
    }

    QString m_error;

private:
    bool atEnd() const { return m_pos >= m_text.size(); }
    QChar peek() const { return atEnd() ? QChar() : m_text[m_pos]; }
    bool eat(QChar c)
    {
        if (peek() != c)
            return false;
        ++m_pos;
        return true;
    }
    bool fail(const QString &why)
    {
        if (m_error.isEmpty())
            m_error = QStringLiteral("%1 (character %2 of '%3')").arg(why).arg(m_pos + 1).arg(m_text);
        return false;
    }

    bool segments(int variable)
    {
        do {
            if (!segment(variable))
                return false;
        } while (eat(u'/'));
        return true;
    }

    bool segment(int variable)
    {
        Segment s;
        s.variable = variable;
        if (eat(u'{')) {
            if (variable >= 0)
                return fail(QStringLiteral("variables cannot nest"));
            const qsizetype start = m_pos;
            while (!atEnd() && (isIdentChar(peek()) || peek() == u'.'))
                ++m_pos;
            const QString field = m_text.sliced(start, m_pos - start).toString();
            for (const QString &part : field.split(u'.')) {
                if (part.isEmpty() || !isIdentStart(part[0]))
                    return fail(QStringLiteral("expected a field path"));
            }
            const int index = int(m_out.m_variables.size());
            m_out.m_variables.append({field, int(m_out.m_segments.size()), 0});
            if (eat(u'=')) {
                if (!segments(index))
                    return false;
            } else {
                m_out.m_segments.append({Kind::Any, {}, index});   // {field} is {field=*}
            }
            if (!eat(u'}'))
                return fail(QStringLiteral("expected '}'"));
            m_out.m_variables[index].count = int(m_out.m_segments.size()) - m_out.m_variables[index].first;
            return true;
        }
        if (m_text.sliced(m_pos).startsWith(u"**")) {
            m_pos += 2;
            s.kind = Kind::AnyMany;
        } else if (eat(u'*')) {
            s.kind = Kind::Any;
        } else {
            const qsizetype start = m_pos;
            while (!atEnd() && isLiteralChar(peek()) && peek() != u':')
                ++m_pos;
            const std::optional<QByteArray> literal =
                percentDecode(m_text.sliced(start, m_pos - start).toUtf8(), false);
            if (!literal || literal->isEmpty())
                return fail(QStringLiteral("expected a segment"));
            s.literal = *literal;
        }
        m_out.m_segments.append(s);
        return true;
    }

    QStringView m_text;
    HttpPathTemplate &m_out;
    qsizetype m_pos = 0;
};

Result<HttpPathTemplate> HttpPathTemplate::parse(QStringView text)
{
    HttpPathTemplate t;
    t.m_text = text.toString();
    Parser parser(text, t);
    if (!parser.run())
        return Error::config(parser.m_error);
    return t;
}

std::optional<QString> HttpPathTemplate::routerPattern() const
{
    QString out;
    for (qsizetype i = 0; i < m_segments.size(); ++i) {
        const Segment &s = m_segments[i];
        out += u'/';
        switch (s.kind) {
        case Kind::Literal:
            out += QString::fromUtf8(s.literal);
            break;
        case Kind::Any:
            out += QStringLiteral("{p%1}").arg(i);
            break;
        case Kind::AnyMany:
            if (!m_verb.isEmpty())
                return std::nullopt;
            out += u'*';
            break;
        }
    }
    if (!m_verb.isEmpty())
        out += u':' + QString::fromUtf8(m_verb);
    return out;
}

QStringList HttpPathTemplate::variables() const
{
    QStringList out;
    for (const Variable &v : m_variables)
        out.append(v.fieldPath);
    return out;
}

std::optional<QList<PathBinding>> HttpPathTemplate::match(QByteArrayView path) const
{
    if (!path.startsWith('/'))
        return std::nullopt;
    QByteArrayView rest = path.sliced(1);
    if (!m_verb.isEmpty()) {
        // The verb is cut from the last segment: "/v1/x:undelete".
        const qsizetype colon = rest.lastIndexOf(':');
        if (colon < 0 || rest.lastIndexOf('/') > colon || rest.sliced(colon + 1) != m_verb)
            return std::nullopt;
        rest = rest.first(colon);
    }
    QList<QByteArrayView> parts;
    for (qsizetype start = 0;;) {
        const qsizetype slash = rest.indexOf('/', start);
        parts.append(rest.sliced(start, (slash < 0 ? rest.size() : slash) - start));
        if (slash < 0)
            break;
        start = slash + 1;
    }
    const bool endsMany = !m_segments.isEmpty() && m_segments.last().kind == Kind::AnyMany;
    const qsizetype fixed = m_segments.size() - (endsMany ? 1 : 0);
    if (parts.size() < fixed || (!endsMany && parts.size() != fixed))
        return std::nullopt;
    for (qsizetype i = 0; i < fixed; ++i) {
        const Segment &s = m_segments[i];
        if (parts[i].isEmpty())
            return std::nullopt;
        if (s.kind == Kind::Literal) {
            const std::optional<QByteArray> decoded = percentDecode(parts[i], false);
            if (!decoded || *decoded != s.literal)
                return std::nullopt;
        }
    }
    QList<PathBinding> bindings;
    for (const Variable &v : m_variables) {
        const qsizetype first = v.first;
        const qsizetype last = v.first + v.count == m_segments.size() && endsMany ? parts.size()
                                                                                  : v.first + v.count;
        QByteArray joined;
        for (qsizetype i = first; i < last; ++i) {
            if (i > first)
                joined.append('/');
            joined.append(parts[i].data(), parts[i].size());
        }
        const std::optional<QByteArray> value = percentDecode(joined, v.count > 1 || last - first != 1);
        if (!value)
            return std::nullopt;
        bindings.append({v.fieldPath, QString::fromUtf8(*value)});
    }
    return bindings;
}

} // namespace Gatehouse
