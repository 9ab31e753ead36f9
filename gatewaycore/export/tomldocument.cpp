// TomlDocument: a recursive-descent TOML 1.0 reader with line and column on every value and error.
#include "tomldocument.h"

#include <QRegularExpression>

namespace Gatehouse {

namespace {

constexpr int kMaxTomlDepth = 64;   // nested arrays and inline tables; deeper input is refused

class TomlParser
{
public:
    TomlParser(const QByteArray &text, const QString &file, Diagnostics &diagnostics)
        : m_s(QString::fromUtf8(text)), m_file(file), m_diagnostics(diagnostics)
    {}

    std::optional<TomlValue> run()
    {
        m_root.line = 1;
        m_root.column = 1;
        if (m_s.startsWith(QChar(0xFEFF)))
            m_pos = 1;
        while (!m_failed) {
            skipBlank();
            if (atEnd())
                break;
            if (peek() == u'[')
                header();
            else
                keyValue(current());
            if (!m_failed)
                endOfLine();
        }
        if (m_failed)
            return std::nullopt;
        return std::move(m_root);
    }

private:
    QString m_s;
    qsizetype m_pos = 0;
    int m_line = 1;
    qsizetype m_lineStart = 0;
    QString m_file;
    Diagnostics &m_diagnostics;
    bool m_failed = false;
    TomlValue m_root;
    QStringList m_current;   // the table the following key/value lines belong to
    int m_depth = 0;

    bool atEnd() const { return m_pos >= m_s.size(); }
    QChar peek(qsizetype ahead = 0) const
    {
        return m_pos + ahead < m_s.size() ? m_s.at(m_pos + ahead) : QChar();
    }
    int column() const { return int(m_pos - m_lineStart) + 1; }
    void advance()
    {
        if (peek() == u'\n') {
            ++m_line;
            m_lineStart = m_pos + 1;
        }
        ++m_pos;
    }
    bool fail(const QString &message) { return failAt(m_line, column(), message); }
    bool failAt(int line, int col, const QString &message)
    {
        if (!m_failed)
            m_diagnostics.error({m_file, line, col}, message);
        m_failed = true;
        return false;
    }
    QString found() const
    {
        if (atEnd())
            return QStringLiteral("the end of the file");
        if (peek() == u'\n' || peek() == u'\r')
            return QStringLiteral("the end of the line");
        return u'\'' + QString(peek()) + u'\'';
    }

    void skipSpaces()
    {
        while (peek() == u' ' || peek() == u'\t')
            advance();
    }
    void skipComment()
    {
        if (peek() != u'#')
            return;
        while (!atEnd() && peek() != u'\n')
            advance();
    }
    // Spaces, comments and line breaks (between statements and inside arrays).
    void skipBlank()
    {
        for (;;) {
            skipSpaces();
            skipComment();
            if (peek() == u'\r' && peek(1) == u'\n')
                advance();
            if (peek() != u'\n')
                return;
            advance();
        }
    }
    void endOfLine()
    {
        skipSpaces();
        skipComment();
        if (peek() == u'\r')
            advance();
        if (atEnd())
            return;
        if (peek() != u'\n') {
            fail(QStringLiteral("expected the end of the line, found %1 (one key = value per line)").arg(found()));
            return;
        }
        advance();
    }

    static bool isBare(QChar c)
    {
        return (c >= u'A' && c <= u'Z') || (c >= u'a' && c <= u'z') || (c >= u'0' && c <= u'9') || c == u'_'
               || c == u'-';
    }

    std::optional<QStringList> key()
    {
        QStringList parts;
        for (;;) {
            skipSpaces();
            if (peek() == u'"' || peek() == u'\'') {
                if (peek(1) == peek() && peek(2) == peek()) {
                    fail(QStringLiteral("a key cannot be a multi-line string"));
                    return std::nullopt;
                }
                const std::optional<QString> s = peek() == u'"' ? basicString() : literalString();
                if (!s)
                    return std::nullopt;
                parts.append(*s);
            } else {
                const qsizetype start = m_pos;
                while (isBare(peek()))
                    advance();
                if (m_pos == start) {
                    fail(QStringLiteral("expected a key, found %1").arg(found()));
                    return std::nullopt;
                }
                parts.append(m_s.mid(start, m_pos - start));
            }
            skipSpaces();
            if (peek() != u'.')
                return parts;
            advance();
        }
    }

    // The table a [header] or a dotted key walks through: the last element of an array of tables.
    TomlValue *descend(TomlValue *table, const QString &name, int line, int col, bool viaHeader)
    {
        const qsizetype i = table->keys.indexOf(name);
        if (i < 0) {
            TomlValue t;
            t.line = line;
            t.column = col;
            table->keys.append(name);
            table->items.push_back(std::move(t));
            return &table->items.back();
        }
        TomlValue *v = &table->items[size_t(i)];
        if (v->kind == TomlValue::Kind::Array && v->arrayOfTables && viaHeader)
            return &v->items.back();
        if (v->kind != TomlValue::Kind::Table || v->closed) {
            fail(QStringLiteral("'%1' is already defined as %2 at line %3; it cannot also be a table")
                     .arg(name, v->kindName(), QString::number(v->line)));
            return nullptr;
        }
        return v;
    }

    TomlValue *current()
    {
        TomlValue *t = &m_root;
        for (const QString &name : m_current) {
            const qsizetype i = t->keys.indexOf(name);
            t = &t->items[size_t(i)];
            if (t->kind == TomlValue::Kind::Array)
                t = &t->items.back();
        }
        return t;
    }

    void header()
    {
        const int line = m_line, col = column();
        advance();
        const bool arrayOfTables = peek() == u'[';
        if (arrayOfTables)
            advance();
        const std::optional<QStringList> names = key();
        if (!names)
            return;
        if (peek() != u']' || (arrayOfTables && peek(1) != u']')) {
            fail(QStringLiteral("expected '%1' to close the table header, found %2")
                     .arg(arrayOfTables ? QStringLiteral("]]") : QStringLiteral("]"), found()));
            return;
        }
        advance();
        if (arrayOfTables)
            advance();
        TomlValue *t = &m_root;
        for (qsizetype i = 0; i + 1 < names->size() && t; ++i)
            t = descend(t, names->at(i), line, col, true);
        if (!t)
            return;
        const QString last = names->last();
        const QString shown = names->join(u'.');
        const qsizetype i = t->keys.indexOf(last);
        if (arrayOfTables) {
            if (i < 0) {
                TomlValue a;
                a.kind = TomlValue::Kind::Array;
                a.arrayOfTables = true;
                a.line = line;
                a.column = col;
                t->keys.append(last);
                t->items.push_back(std::move(a));
            } else if (!t->items[size_t(i)].arrayOfTables) {
                fail(QStringLiteral("[[%1]] adds to an array of tables, but '%1' is already a %2 (line %3)")
                         .arg(shown, t->items[size_t(i)].kindName(), QString::number(t->items[size_t(i)].line)));
                return;
            }
            TomlValue element;
            element.line = line;
            element.column = col;
            element.headerDefined = true;
            t->items[size_t(i < 0 ? t->items.size() - 1 : i)].items.push_back(std::move(element));
        } else {
            TomlValue *table = descend(t, last, line, col, false);
            if (!table)
                return;
            if (table->headerDefined) {
                fail(QStringLiteral("the table [%1] is defined twice (first at line %2)")
                         .arg(shown, QString::number(table->line)));
                return;
            }
            table->headerDefined = true;
            table->line = line;
            table->column = col;
        }
        m_current = *names;
    }

    void keyValue(TomlValue *table)
    {
        const int line = m_line, col = column();
        const std::optional<QStringList> names = key();
        if (!names)
            return;
        const QString shown = names->join(u'.');
        if (peek() != u'=') {
            fail(QStringLiteral("expected '=' after the key '%1', found %2").arg(shown, found()));
            return;
        }
        advance();
        skipSpaces();
        for (qsizetype i = 0; i + 1 < names->size() && table; ++i)
            table = descend(table, names->at(i), line, col, false);
        if (!table)
            return;
        if (const TomlValue *old = table->find(names->last())) {
            failAt(line, col, QStringLiteral("the key '%1' is defined twice (first at line %2)")
                                  .arg(shown, QString::number(old->line)));
            return;
        }
        std::optional<TomlValue> v = value();
        if (!v)
            return;
        table->keys.append(names->last());
        table->items.push_back(std::move(*v));
    }

    std::optional<TomlValue> value()
    {
        TomlValue v;
        v.line = m_line;
        v.column = column();
        const QChar c = peek();
        if (c == u'"' || c == u'\'') {
            const bool multi = peek(1) == c && peek(2) == c;
            std::optional<QString> s = multi ? multilineString(c) : (c == u'"' ? basicString() : literalString());
            if (!s)
                return std::nullopt;
            v.kind = TomlValue::Kind::String;
            v.text = *s;
            return v;
        }
        if (c == u'[' || c == u'{') {
            if (++m_depth > kMaxTomlDepth) {
                fail(QStringLiteral("arrays and inline tables nest deeper than %1 levels").arg(kMaxTomlDepth));
                return std::nullopt;
            }
            std::optional<TomlValue> r = c == u'[' ? array(v) : inlineTable(v);
            --m_depth;
            return r;
        }
        const qsizetype start = m_pos;
        // Bare values end at a separator; a date-time may hold one space ("1979-05-27 07:32:00").
        while (!atEnd() && !QStringLiteral(" \t\r\n,]}#").contains(peek()))
            advance();
        static const QRegularExpression date(QStringLiteral("^\\d{4}-\\d{2}-\\d{2}$"));
        if (peek() == u' ' && date.match(m_s.mid(start, m_pos - start)).hasMatch() && peek(1).isDigit()) {
            advance();
            while (!atEnd() && !QStringLiteral(" \t\r\n,]}#").contains(peek()))
                advance();
        }
        const QString word = m_s.mid(start, m_pos - start);
        if (word.isEmpty()) {
            fail(QStringLiteral("expected a value, found %1").arg(found()));
            return std::nullopt;
        }
        if (word == u"true" || word == u"false") {
            v.kind = TomlValue::Kind::Boolean;
            v.boolean = word == u"true";
            return v;
        }
        if (const QString why = parseTomlScalar(word, v); !why.isEmpty()) {
            m_pos = start;
            fail(why);
            return std::nullopt;
        }
        return v;
    }

    std::optional<TomlValue> array(TomlValue v)
    {
        v.kind = TomlValue::Kind::Array;
        v.closed = true;
        advance();   // [
        for (;;) {
            skipBlank();
            if (peek() == u']') {
                advance();
                return v;
            }
            std::optional<TomlValue> item = value();
            if (!item)
                return std::nullopt;
            v.items.push_back(std::move(*item));
            skipBlank();
            if (peek() == u',') {
                advance();
                continue;
            }
            if (peek() != u']') {
                fail(QStringLiteral("expected ',' or ']' in the array that starts at line %1, found %2")
                         .arg(QString::number(v.line), found()));
                return std::nullopt;
            }
        }
    }

    std::optional<TomlValue> inlineTable(TomlValue v)
    {
        v.kind = TomlValue::Kind::Table;
        advance();   // {
        skipSpaces();
        if (peek() == u'}') {
            advance();
            v.closed = true;
            return v;
        }
        for (;;) {
            skipSpaces();
            keyValue(&v);
            if (m_failed)
                return std::nullopt;
            skipSpaces();
            if (peek() == u',') {
                advance();
                continue;
            }
            if (peek() != u'}') {
                fail(QStringLiteral("expected ',' or '}' in the inline table, found %1 (an inline table "
                                    "stays on one line)").arg(found()));
                return std::nullopt;
            }
            advance();
            v.closed = true;
            return v;
        }
    }

    bool escape(QString &out)
    {
        advance();   // backslash
        const QChar e = peek();
        const qsizetype at = m_pos;
        switch (e.unicode()) {
        case 'b': out += u'\b'; break;
        case 't': out += u'\t'; break;
        case 'n': out += u'\n'; break;
        case 'f': out += u'\f'; break;
        case 'r': out += u'\r'; break;
        case 'e': out += QChar(0x1b); break;
        case '"': out += u'"'; break;
        case '\\': out += u'\\'; break;
        case 'u':
        case 'U': {
            const int n = e == u'u' ? 4 : 8;
            bool ok = false;
            const uint code = m_s.mid(at + 1, n).toUInt(&ok, 16);
            if (!ok || m_s.mid(at + 1, n).size() != n || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF))
                return fail(QStringLiteral("'\\%1' needs %2 hex digits of a Unicode scalar value").arg(e).arg(n));
            const char32_t c = code;
            out += QString::fromUcs4(&c, 1);
            for (int i = 0; i < n; ++i)
                advance();
            break;
        }
        default:
            return fail(QStringLiteral("unknown escape '\\%1' (a Windows path needs '\\\\' or single quotes)")
                            .arg(atEnd() ? QString() : QString(e)));
        }
        advance();
        return true;
    }

    bool controlChar(QChar c)
    {
        if ((c.unicode() < 0x20 && c != u'\t') || c.unicode() == 0x7f)
            return fail(QStringLiteral("control character U+%1 in a string (write it as an escape)")
                            .arg(c.unicode(), 4, 16, QLatin1Char('0')));
        return true;
    }

    std::optional<QString> basicString()
    {
        const int line = m_line;
        advance();
        QString out;
        for (;;) {
            if (atEnd() || peek() == u'\n' || peek() == u'\r') {
                fail(QStringLiteral("the string that starts on line %1 is not closed by '\"' on that line").arg(line));
                return std::nullopt;
            }
            const QChar c = peek();
            if (c == u'"') {
                advance();
                return out;
            }
            if (c == u'\\') {
                if (!escape(out))
                    return std::nullopt;
                continue;
            }
            if (!controlChar(c))
                return std::nullopt;
            out += c;
            advance();
        }
    }

    std::optional<QString> literalString()
    {
        const int line = m_line;
        advance();
        const qsizetype start = m_pos;
        while (!atEnd() && peek() != u'\'' && peek() != u'\n') {
            if (!controlChar(peek()))
                return std::nullopt;
            advance();
        }
        if (peek() != u'\'') {
            fail(QStringLiteral("the string that starts on line %1 is not closed by \"'\" on that line").arg(line));
            return std::nullopt;
        }
        const QString out = m_s.mid(start, m_pos - start);
        advance();
        return out;
    }

    std::optional<QString> multilineString(QChar quote)
    {
        const int line = m_line;
        advance();
        advance();
        advance();
        if (peek() == u'\r' && peek(1) == u'\n')
            advance();
        if (peek() == u'\n')
            advance();   // a line break right after the opening quotes is not part of the value
        QString out;
        for (;;) {
            if (atEnd()) {
                fail(QStringLiteral("the multi-line string that starts on line %1 is never closed").arg(line));
                return std::nullopt;
            }
            const QChar c = peek();
            if (c == quote && peek(1) == quote && peek(2) == quote) {
                advance();
                advance();
                advance();
                // Up to two more quotes belong to the content ("""a""""" is a"").
                for (int i = 0; i < 2 && peek() == quote; ++i) {
                    out += quote;
                    advance();
                }
                return out;
            }
            if (quote == u'"' && c == u'\\') {
                // A backslash at the end of a line trims the break and the following whitespace.
                qsizetype i = m_pos + 1;
                while (i < m_s.size() && (m_s.at(i) == u' ' || m_s.at(i) == u'\t' || m_s.at(i) == u'\r'))
                    ++i;
                if (i < m_s.size() && m_s.at(i) == u'\n') {
                    while (!atEnd() && QStringLiteral(" \t\r\n\\").contains(peek()))
                        advance();
                    continue;
                }
                if (!escape(out))
                    return std::nullopt;
                continue;
            }
            if (c != u'\n' && c != u'\r' && !controlChar(c))
                return std::nullopt;
            out += c;
            advance();
        }
    }
};

} // namespace

std::optional<TomlValue> parseToml(const QByteArray &text, const QString &displayPath, Diagnostics &diagnostics)
{
    return TomlParser(text, displayPath, diagnostics).run();
}

} // namespace Gatehouse
