// TraceExplainer: decisions first, the response's own words second.
#include "traceexplain.h"

#include <QDateTime>
#include <QRegularExpression>

namespace Gatehouse {

namespace {

// A parameter of a WWW-Authenticate challenge: error_description="...".
QString challengeParameter(const QByteArray &challenge, const char *name)
{
    const QRegularExpression re(QStringLiteral("%1=\"((?:[^\"\\\\]|\\\\.)*)\"").arg(QLatin1StringView(name)));
    const QRegularExpressionMatch m = re.match(QString::fromLatin1(challenge));
    return m.hasMatch() ? m.captured(1).replace(QStringLiteral("\\\""), QStringLiteral("\"")) : QString();
}

} // namespace

QByteArray responseHeader(const TraceRecord &record, QByteArrayView name)
{
    for (const TraceHeaderField &f : record.responseHeaders) {
        if (QByteArrayView(f.name).compare(name, Qt::CaseInsensitive) == 0)
            return f.value;
    }
    return {};
}

QString TraceExplainer::duration(qint64 ms)
{
    const qint64 s = qMax<qint64>(0, ms) / 1000;
    if (s < 60)
        return tr("%1 s").arg(s);
    if (s < 60 * 60)
        return tr("%1 min").arg(s / 60);
    if (s < 48 * 60 * 60)
        return tr("%1 h").arg(s / 3600);
    return tr("%1 days").arg(qMin<qint64>(s / 86400, 1'000'000));
}

QString TraceExplainer::decisionText(const TraceDecisionRecord &d, qint64 nowUnixMs)
{
    if (d.atUnixMs == 0)
        return d.detail;
    const qint64 delta = d.atUnixMs - nowUnixMs;
    switch (d.time) {
    case DecisionTime::Expired:
        // Expiry lies in the past for the request, so for every later reader too.
        return tr("%1 %2 ago").arg(d.detail, duration(-delta));
    case DecisionTime::RetryAt:
        // Whole seconds, rounded up, as Retry-After says it.
        return delta > 0 ? tr("%1, retry in %2").arg(d.detail, duration(delta + 999))
                         : tr("%1; calls were admitted again %2 ago").arg(d.detail, duration(-delta));
    case DecisionTime::None:
        break;
    }
    return d.detail;
}

QStringList TraceExplainer::explain(const TraceRecord &r)
{
    return explain(r, QDateTime::currentMSecsSinceEpoch());
}

QStringList TraceExplainer::explain(const TraceRecord &r, qint64 nowUnixMs)
{
    QStringList lines;
    const QString who = r.caller.isEmpty() ? tr("an anonymous caller") : tr("'%1'").arg(r.caller);
    bool refusedByDecision = false;
    for (const TraceDecisionRecord &d : r.decisions) {
        const QString phase = QString(phaseName(d.phase));
        const QString detail = decisionText(d, nowUnixMs);
        if (!d.allowed) {
            refusedByDecision = true;
            // The gateway's own answers (no route, an upstream that failed) are not a filter's.
            if (d.filter == u"router")
                lines.prepend(tr("Not routed: %1").arg(detail));
            else if (d.filter == u"upstream")
                lines.prepend(tr("The upstream failed: %1").arg(detail));
            else
                lines.prepend(tr("Refused by %1 (%2): %3").arg(d.filter, phase, detail));
        } else {
            lines.append(tr("Passed %1 (%2)%3").arg(d.filter, phase, detail.isEmpty() ? QString() : QStringLiteral(": ") + detail));
        }
    }
    if (refusedByDecision)
        return lines;

    const QByteArray challenge = responseHeader(r, "WWW-Authenticate");
    const QString description = challengeParameter(challenge, "error_description");
    const QString error = challengeParameter(challenge, "error");
    switch (r.status) {
    case 0:
        lines.prepend(tr("No response: the client went away before the answer was complete."));
        break;
    case 401:
        if (!description.isEmpty())
            lines.prepend(tr("Refused by authentication: %1.").arg(description));
        else if (challenge.isEmpty())
            lines.prepend(tr("Refused by authentication."));
        else
            lines.prepend(tr("Refused by authentication: no accepted credentials (the gateway asks for %1).")
                              .arg(QString::fromLatin1(challenge.left(challenge.indexOf(' ') > 0 ? challenge.indexOf(' ') : challenge.size()))));
        break;
    case 403:
        if (error == u"insufficient_scope") {
            const QString scope = challengeParameter(challenge, "scope");
            lines.prepend(tr("Refused by authorization: %1 lacks a required scope%2.")
                              .arg(who, scope.isEmpty() ? QString() : tr(" (needs: %1)").arg(scope)));
        } else {
            lines.prepend(tr("Forbidden for %1%2.").arg(who, description.isEmpty() ? QString() : QStringLiteral(": ") + description));
        }
        break;
    case 429: {
        const QByteArray retry = responseHeader(r, "Retry-After");
        const QByteArray policy = responseHeader(r, "RateLimit-Policy");
        QString text = tr("Rate limited: %1 exceeded a limit").arg(who);
        if (!policy.isEmpty())
            text += tr(" (policy %1)").arg(QString::fromLatin1(policy));
        if (!retry.isEmpty())
            text += tr("; retry in %1 s").arg(QString::fromLatin1(retry));
        lines.prepend(text + u'.');
        break;
    }
    default:
        if (r.status >= 500 && !r.upstream.isEmpty())
            lines.prepend(tr("The gateway answered %1 after trying the upstream %2.").arg(r.status).arg(QString::fromUtf8(r.upstream)));
        else if (r.status >= 400)
            lines.prepend(tr("Answered %1 by the gateway.").arg(r.status));
        else
            lines.prepend(tr("Admitted for %1 and answered %2%3.")
                              .arg(who)
                              .arg(r.status)
                              .arg(r.upstream.isEmpty() ? QString() : tr(" by %1").arg(QString::fromUtf8(r.upstream))));
        break;
    }
    if (!r.error.isEmpty())
        lines.append(tr("Gateway error code: %1").arg(r.error));
    if (r.decisions.isEmpty() && r.status >= 400)
        lines.append(tr("(No policy decisions were recorded for this request; this explanation comes from its response.)"));
    return lines;
}

} // namespace Gatehouse
