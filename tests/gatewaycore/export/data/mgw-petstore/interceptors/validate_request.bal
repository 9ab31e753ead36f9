// An MGW 3.2 request interceptor in Ballerina, named by x-wso2-request-interceptor.
import ballerina/http;

public function validateRequest(http:Caller outboundEp, http:Request req) {
    if (!req.hasHeader("X-Request-Id")) {
        http:Response res = new;
        res.statusCode = 400;
        var result = outboundEp->respond(res);
    }
}
