// A small lexer and structure scanner for .proto text, enough to find services, rpcs, option
// statements and the top-level fields of aggregate option values (comments and strings skipped).
// Internal to protooptiontext.cpp; positions are UTF-16 offsets into the scanned text.
#pragma once

#include "base/result.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace Gatehouse::ProtoText {

enum class Tok { Ident = 1, String, Number, Punct };

struct Token
{
    Tok kind = Tok::Punct;
    qsizetype begin = 0;
    qsizetype end = 0;
};

// The tokens of `text`: identifiers, strings (quotes included), numbers and single punctuation
// characters; comments and whitespace skipped. An unclosed comment or string is an error.
Result<QList<Token>> tokenize(const QString &text);

// An option statement: `option (name).sub = value;`, tokens first..last (the ';').
struct OptionStatement
{
    int first = 0;
    int last = 0;
    QString name;        // "gatehouse.method" (no leading dot), or a plain name ("deprecated")
    QString subField;    // "scopes" in `option (gatehouse.method).scopes = ...`
    int valueOpen = -1;  // '{' of an aggregate value, else -1
    int valueClose = -1;
};

// A top-level field of an aggregate: tokens first..last, the separator (',' or ';') excluded.
struct AggregateField
{
    QString name;
    int first = 0;
    int last = 0;
    int separator = -1;
};

struct RpcDecl
{
    QString name;
    int first = 0;        // `rpc`
    int signatureEnd = 0; // the ')' of `returns (...)`
    int bodyOpen = -1;    // '{', or -1 when the rpc ends with ';'
    int bodyClose = -1;   // '}', or the ';'
};

class Scanner
{
public:
    Scanner(const QString &text, const QList<Token> &tokens) : m_text(text), m_tokens(tokens) {}

    QStringView at(int i) const
    {
        const Token &t = m_tokens[i];
        return QStringView(m_text).mid(t.begin, t.end - t.begin);
    }
    bool is(int i, QStringView s) const { return i >= 0 && i < m_tokens.size() && at(i) == s; }
    int count() const { return int(m_tokens.size()); }

    // Index of the token closing the bracket at `open` ({ [ ( <), or -1.
    int matching(int open) const
    {
        const QChar o = at(open).front();
        const QChar c = o == u'{' ? u'}' : o == u'[' ? u']' : o == u'(' ? u')' : u'>';
        int depth = 0;
        for (int i = open; i < count(); ++i) {
            if (m_tokens[i].kind != Tok::Punct)
                continue;
            if (at(i).front() == o)
                ++depth;
            else if (at(i).front() == c && --depth == 0)
                return i;
        }
        return -1;
    }

    // The end of the statement starting at `i` inside a block: its ';' (brackets skipped), or the
    // '}' of a nested block that ends it. -1 when unbalanced.
    int statementEnd(int i, int limit) const
    {
        const bool option = is(i, u"option");   // its { } is the value, not a block
        for (; i < limit; ++i) {
            if (m_tokens[i].kind != Tok::Punct)
                continue;
            const QChar c = at(i).front();
            if (c == u';')
                return i;
            if (c == u'{' || c == u'[' || c == u'(') {
                const int close = matching(i);
                if (close < 0 || close >= limit)
                    return -1;
                if (c == u'{' && !option)
                    return close;   // a nested block (message, enum, rpc body) ends the statement
                i = close;
            }
        }
        return -1;
    }

    std::optional<OptionStatement> option(int first, int last) const
    {
        OptionStatement s;
        s.first = first;
        s.last = last;
        int i = first + 1;
        if (is(i, u"(")) {
            const int close = matching(i);
            if (close < 0 || close > last)
                return std::nullopt;
            for (int k = i + 1; k < close; ++k)
                s.name += at(k);
            if (s.name.startsWith(u'.'))
                s.name.remove(0, 1);
            i = close + 1;
        } else if (i < last) {
            s.name = at(i).toString();
            ++i;
        }
        QStringList sub;
        while (is(i, u".") && i + 1 < last) {
            sub << at(i + 1).toString();
            i += 2;
        }
        s.subField = sub.join(u'.');
        if (!is(i, u"="))
            return std::nullopt;
        if (is(i + 1, u"{")) {
            s.valueOpen = i + 1;
            s.valueClose = matching(i + 1);
            if (s.valueClose < 0 || s.valueClose > last)
                return std::nullopt;
        }
        return s;
    }

    // The option statements directly inside the block open..close.
    QList<OptionStatement> options(int open, int close) const
    {
        QList<OptionStatement> result;
        for (int i = open + 1; i < close;) {
            const int end = statementEnd(i, close);
            if (end < 0)
                break;
            if (is(i, u"option") && at(end) == u";")
                if (auto s = option(i, end))
                    result << *s;
            i = end + 1;
        }
        return result;
    }

    QList<AggregateField> fields(int open, int close) const
    {
        QList<AggregateField> result;
        for (int i = open + 1; i < close;) {
            AggregateField f;
            f.first = i;
            if (is(i, u"[")) {   // an extension or Any field name: [pkg.ext]
                const int end = matching(i);
                if (end < 0 || end >= close)
                    break;
                for (int k = i; k <= end; ++k)
                    f.name += at(k);
                i = end + 1;
            } else {
                f.name = at(i).toString();
                ++i;
            }
            if (is(i, u":"))
                ++i;
            if (i >= close)
                break;
            if (is(i, u"{") || is(i, u"<") || is(i, u"[")) {
                i = matching(i);
                if (i < 0 || i >= close)
                    break;
            } else {
                if (is(i, u"-"))
                    ++i;
                while (i + 1 < close && m_tokens[i].kind == Tok::String
                       && m_tokens[i + 1].kind == Tok::String)
                    ++i;   // "adjacent" "strings" are one value
            }
            f.last = i++;
            if (is(i, u",") || is(i, u";"))
                f.separator = i++;
            result << f;
        }
        return result;
    }

    const QString &m_text;
    const QList<Token> &m_tokens;
};

} // namespace Gatehouse::ProtoText
