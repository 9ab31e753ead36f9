// Find and replace over plain text: the pattern a find bar's options make, the matches,
// replacements.
#pragma once

#include <QList>
#include <QRegularExpression>
#include <QString>
#include <QStringList>

namespace Gatehouse {

struct FindOptions
{
    bool caseSensitive = false;
    bool wholeWords = false;   // the match may not touch a letter, digit or '_' on either side
    bool regex = false;        // Perl-compatible, as QRegularExpression reads it
};

struct TextMatch
{
    qsizetype start = 0;
    qsizetype length = 0;
    QStringList captures;   // \0 (the whole match), \1, \2 ... when searching with a regex
    qsizetype end() const { return start + length; }
    friend bool operator==(const TextMatch &a, const TextMatch &b)
    {
        return a.start == b.start && a.length == b.length;
    }
};

// The expression a search runs; check isValid() for a bad regex. Empty text finds nothing.
QRegularExpression findPattern(const QString &text, const FindOptions &options);

// Every non-empty match in order (an empty match, as "^" makes, selects nothing, so it is skipped).
// Stops after `limit` matches so a one-letter search in a large file stays quick.
QList<TextMatch> findAll(const QString &haystack, const QRegularExpression &pattern,
                         qsizetype limit = 100000);

// The text replacing one match. With regex on, \0..\9 insert captured groups and \n, \t, \\ are
// escapes; otherwise the replacement is literal.
QString expandReplacement(const QString &replacement, const TextMatch &match, bool regex);

// Index of the first match starting at or after `position`, wrapping to 0; -1 without matches.
qsizetype nextMatchIndex(const QList<TextMatch> &matches, qsizetype position);
// Index of the last match ending at or before `position`, wrapping to the last; -1 without matches.
qsizetype previousMatchIndex(const QList<TextMatch> &matches, qsizetype position);

} // namespace Gatehouse
