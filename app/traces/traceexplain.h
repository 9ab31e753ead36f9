// "Explain": why the gateway answered a traced request the way it did, in sentences: the policy
// decisions the record carries, else what the answer itself says (the gateway's error code,
// WWW-Authenticate's error_description, Retry-After and the RateLimit headers).
#pragma once

#include "telemetry/tracerecord.h"

#include <QCoreApplication>
#include <QStringList>

namespace Gatehouse {

class TraceExplainer
{
    Q_DECLARE_TR_FUNCTIONS(Gatehouse::TraceExplainer)
public:
    // The verdict first ("Refused by authentication (authn): token expired 3 min ago"), then
    // details. Times a decision refers to (a token's expiry, when a limit admits calls again) are
    // said relative to `nowUnixMs` (the wall clock when the explanation is read).
    static QStringList explain(const TraceRecord &record, qint64 nowUnixMs);
    static QStringList explain(const TraceRecord &record);   // relative to the current time

    // One decision's detail with its time relative to now: "token expired 3 min ago",
    // "tier Bronze (API level): 10/min exceeded, retry in 12 s".
    static QString decisionText(const TraceDecisionRecord &decision, qint64 nowUnixMs);
    // A duration for a sentence: "12 s", "3 min", "5 h", "2 days" (rounded down; negative = 0).
    static QString duration(qint64 ms);
};

// The value of a header of the record's response (first match, case-insensitive).
QByteArray responseHeader(const TraceRecord &record, QByteArrayView name);

} // namespace Gatehouse
