// The validation policies: validate-request (parameters and JSON body against the operation's
// OpenAPI schemas; 400/415/422) and validate-response (reported in a header, or blocked with 502).
#pragma once

#include <QString>

namespace Gatehouse {

struct PolicyDescriptor;

PolicyDescriptor validateRequestPolicy();
PolicyDescriptor validateResponsePolicy();
// The docs' notes on what is validated and how problems are reported.
QString validationNotes();

} // namespace Gatehouse
