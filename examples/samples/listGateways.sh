curl -s "https://testapi.multisafepay.com/v1/json/gateways?country=BE" -H "api_key: $MSP_API_KEY"
