// Small text helpers for diagnostics: nearest-name suggestions and human lists.
#include "textutil.h"

#include <QList>

#include <algorithm>

namespace Gatehouse {

int editDistance(const QString &a, const QString &b)
{
    const QString x = a.toLower(), y = b.toLower();
    QList<int> prev(y.size() + 1), cur(y.size() + 1);
    for (qsizetype j = 0; j <= y.size(); ++j)
        prev[j] = int(j);
    for (qsizetype i = 1; i <= x.size(); ++i) {
        cur[0] = int(i);
        for (qsizetype j = 1; j <= y.size(); ++j) {
            const int subst = prev[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1);
            cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, subst});
        }
        std::swap(prev, cur);
    }
    return prev[y.size()];
}

QString closestMatch(const QString &name, const QStringList &candidates)
{
    QString best;
    int bestDistance = std::max<int>(2, int(name.size()) / 3) + 1;
    for (const QString &c : candidates) {
        const int d = editDistance(name, c);
        if (d < bestDistance) {
            bestDistance = d;
            best = c;
        }
    }
    return best;
}

QString quotedList(const QStringList &items)
{
    if (items.isEmpty())
        return QStringLiteral("(none)");
    QStringList quoted;
    for (const QString &s : items)
        quoted.append(u'\'' + s + u'\'');
    if (quoted.size() == 1)
        return quoted.first();
    const QString last = quoted.takeLast();
    return quoted.join(QStringLiteral(", ")) + QStringLiteral(" and ") + last;
}

QString didYouMean(const QString &name, const QStringList &candidates)
{
    const QString best = closestMatch(name, candidates);
    return best.isEmpty() ? QString() : QStringLiteral(" (did you mean '%1'?)").arg(best);
}

} // namespace Gatehouse
