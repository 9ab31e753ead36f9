// Runs a route's request and response policies on a sample exchange, in-process and without any
// network: the workbench's "Run on a sample request". The policies are built by the registry and
// run through the same interceptor stage (PolicyChainFilter) and hooks as on the data path.
#pragma once

#include "base/diagnostic.h"
#include "project/apimodel.h"

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>

namespace Gatehouse {

using HeaderList = QList<QPair<QByteArray, QByteArray>>;   // name, value; in order, repeats allowed

struct SampleRequest
{
    QByteArray method = "GET";
    QByteArray path = "/";   // as the client sends it (with the API's base path); upstream: below it
    QByteArray query;        // "?a=b" or empty
    HeaderList headers;
    QByteArray body;
};

struct SampleResponse
{
    int status = 200;
    HeaderList headers;
    QByteArray body;
};

struct PolicySandboxInput
{
    QString projectDir;   // scripts and packages of policies are found there; "" = none
    QString apiName;      // what ${api.name}-style templates see; may be empty
    QString apiVersion;
    QString basePath;          // the API's resolved base path ("/petstore/v1"); "" = none
    QString operationId;
    QString operationMethod;   // of the route the policies belong to ("GET"); "" = the sample's
    QString pathTemplate;      // "/pets/{id}"; "" = the sample's path
    QList<PolicyAttachment> requestPolicies;    // in execution order, as the route runs them
    QList<PolicyAttachment> responsePolicies;
    SampleRequest request;
    SampleResponse upstreamResponse;   // what the upstream answers the transformed request
};

struct PolicySandboxResult
{
    // Settings the registry refused (at the attachments' locations): then nothing ran.
    Diagnostics diagnostics;
    bool built = false;
    // The request as it would leave for the upstream (valid when !answeredBeforeUpstream).
    SampleRequest upstreamRequest;
    bool answeredBeforeUpstream = false;   // a request policy answered (the upstream never saw it)
    // What the client gets: the upstream's response as the response policies left it, or the
    // gateway's answer when a policy answered.
    SampleResponse response;
    bool answeredByGateway = false;
    QString note;   // a sentence when the run stopped early (a policy that waits, a body too large)
};

// Never throws; hostile settings or samples end as diagnostics or a note. Runs on any thread.
PolicySandboxResult runPolicySandbox(const PolicySandboxInput &input);

} // namespace Gatehouse
