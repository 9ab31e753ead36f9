// Find and replace over plain text: one QRegularExpression for every mode keeps counting, moving
// and replacing consistent with each other.
#include "textsearch.h"

namespace Gatehouse {

QRegularExpression findPattern(const QString &text, const FindOptions &options)
{
    if (text.isEmpty())
        return {};   // the empty pattern: findAll() finds nothing with it
    QString pattern = options.regex ? text : QRegularExpression::escape(text);
    if (options.wholeWords)
        pattern = QStringLiteral("(?<![\\w])(?:") + pattern + QStringLiteral(")(?![\\w])");
    QRegularExpression::PatternOptions flags = QRegularExpression::UseUnicodePropertiesOption;
    if (!options.caseSensitive)
        flags |= QRegularExpression::CaseInsensitiveOption;
    if (options.regex)
        flags |= QRegularExpression::MultilineOption;   // ^ and $ mean the start and end of a line
    return QRegularExpression(pattern, flags);
}

QList<TextMatch> findAll(const QString &haystack, const QRegularExpression &pattern,
                         qsizetype limit)
{
    QList<TextMatch> matches;
    if (!pattern.isValid() || pattern.pattern().isEmpty())
        return matches;
    QRegularExpressionMatchIterator it = pattern.globalMatch(haystack);
    while (it.hasNext() && matches.size() < limit) {
        const QRegularExpressionMatch m = it.next();
        if (m.capturedLength() == 0)
            continue;
        TextMatch match{m.capturedStart(), m.capturedLength(), m.capturedTexts()};
        matches.append(std::move(match));
    }
    return matches;
}

QString expandReplacement(const QString &replacement, const TextMatch &match, bool regex)
{
    if (!regex)
        return replacement;
    QString out;
    out.reserve(replacement.size());
    for (qsizetype i = 0; i < replacement.size(); ++i) {
        const QChar c = replacement[i];
        if (c != u'\\' || i + 1 == replacement.size()) {
            out += c;
            continue;
        }
        const QChar next = replacement[++i];
        if (next.isDigit())
            out += match.captures.value(next.digitValue());
        else if (next == u'n')
            out += u'\n';
        else if (next == u't')
            out += u'\t';
        else
            out += next;   // "\\" and any other escaped character stand for themselves
    }
    return out;
}

qsizetype nextMatchIndex(const QList<TextMatch> &matches, qsizetype position)
{
    for (qsizetype i = 0; i < matches.size(); ++i) {
        if (matches[i].start >= position)
            return i;
    }
    return matches.isEmpty() ? -1 : 0;
}

qsizetype previousMatchIndex(const QList<TextMatch> &matches, qsizetype position)
{
    for (qsizetype i = matches.size() - 1; i >= 0; --i) {
        if (matches[i].end() <= position)
            return i;
    }
    return matches.size() - 1;
}

} // namespace Gatehouse
