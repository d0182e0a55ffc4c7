# Runs the real SAM transform (samtranslator, in the machine image's Python) on a template read from stdin and prints
# the CloudFormation it produces: the reference test/sam-translator-differential.test.ts compares ours with.
# Offline: no managed policy names are looked up (the test templates use ARNs and policy templates).
import json
import sys

from samtranslator.translator.transform import transform


class NoManagedPolicies:
    def load(self):
        return {}


try:
    print(json.dumps(transform(json.load(sys.stdin), {}, NoManagedPolicies())))
except Exception as error:  # the transform's refusal, worded as CloudFormation and sam validate word it
    causes = [cause.message for cause in getattr(error, "causes", [])]
    print(json.dumps({"error": " ".join([getattr(error, "message", str(error)), *causes])}))
