curl -s https://testapi.multisafepay.com/v1/json/gateways/KBC -H "api_key: $MSP_API_KEY"
