// The .proto lexer of prototextscanner.h.
#include "prototextscanner.h"

#include <QCoreApplication>

namespace Gatehouse::ProtoText {

namespace {

bool isIdentStart(QChar c) { return c.isLetter() || c == u'_'; }
bool isIdentChar(QChar c) { return c.isLetterOrNumber() || c == u'_'; }

} // namespace

Result<QList<Token>> tokenize(const QString &text)
{
    QList<Token> tokens;
    const qsizetype n = text.size();
    qsizetype i = 0;
    while (i < n) {
        const QChar c = text[i];
        if (c.isSpace()) {
            ++i;
        } else if (c == u'/' && i + 1 < n && text[i + 1] == u'/') {
            while (i < n && text[i] != u'\n')
                ++i;
        } else if (c == u'/' && i + 1 < n && text[i + 1] == u'*') {
            const qsizetype close = text.indexOf(QStringLiteral("*/"), i + 2);
            if (close < 0)
                return Error::config(QCoreApplication::translate("Gatehouse::ProtoOptionText", "a /* comment is never closed"));
            i = close + 2;
        } else if (c == u'"' || c == u'\'') {
            const qsizetype begin = i++;
            while (i < n && text[i] != c && text[i] != u'\n')
                i += text[i] == u'\\' ? 2 : 1;
            if (i >= n || text[i] != c)
                return Error::config(QCoreApplication::translate("Gatehouse::ProtoOptionText", "a string is not closed on its line"));
            tokens.append({Tok::String, begin, ++i});
        } else if (isIdentStart(c)) {
            const qsizetype begin = i;
            while (i < n && isIdentChar(text[i]))
                ++i;
            tokens.append({Tok::Ident, begin, i});
        } else if (c.isDigit()) {
            const qsizetype begin = i;
            while (i < n && (isIdentChar(text[i]) || text[i] == u'.'
                             || ((text[i] == u'+' || text[i] == u'-')
                                 && (text[i - 1] == u'e' || text[i - 1] == u'E'))))
                ++i;
            tokens.append({Tok::Number, begin, i});
        } else {
            tokens.append({Tok::Punct, i, i + 1});
            ++i;
        }
    }
    return tokens;
}

} // namespace Gatehouse::ProtoText
