// Diagnostics for users: formatting and ordering.
#include "diagnostic.h"

#include <algorithm>

namespace Gatehouse {

QString SourceLocation::toString() const
{
    QString s = file;
    if (line > 0) {
        s += u':' + QString::number(line);
        if (column > 0)
            s += u':' + QString::number(column);
    }
    return s;
}

QString severityName(Severity severity)
{
    switch (severity) {
    case Severity::Error: return QStringLiteral("error");
    case Severity::Warning: return QStringLiteral("warning");
    case Severity::Note: return QStringLiteral("note");
    }
    return QStringLiteral("error");
}

QString Diagnostic::toString() const
{
    QString s;
    if (location.isValid())
        s = location.toString() + QStringLiteral(": ");
    return s + severityName(severity) + QStringLiteral(": ") + message;
}

void Diagnostics::add(Diagnostic diagnostic)
{
    if (diagnostic.severity == Severity::Error)
        ++m_errorCount;
    else if (diagnostic.severity == Severity::Warning)
        ++m_warningCount;
    m_items.append(std::move(diagnostic));
}

void Diagnostics::error(const SourceLocation &where, const QString &message)
{
    add({Severity::Error, where, message});
}

void Diagnostics::warning(const SourceLocation &where, const QString &message)
{
    add({Severity::Warning, where, message});
}

void Diagnostics::note(const SourceLocation &where, const QString &message)
{
    add({Severity::Note, where, message});
}

void Diagnostics::append(const Diagnostics &other)
{
    for (const Diagnostic &d : other.m_items)
        add(d);
}

void Diagnostics::sort()
{
    std::stable_sort(m_items.begin(), m_items.end(), [](const Diagnostic &a, const Diagnostic &b) {
        const SourceLocation &l = a.location, &r = b.location;
        if (l.file != r.file)
            return l.file < r.file;
        if (l.line != r.line)
            return l.line < r.line;
        return l.column < r.column;
    });
}

QString Diagnostics::toString() const
{
    QString out;
    for (const Diagnostic &d : m_items)
        out += d.toString() + u'\n';
    return out;
}

} // namespace Gatehouse
