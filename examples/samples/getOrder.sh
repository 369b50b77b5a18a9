curl -s https://testapi.multisafepay.com/v1/json/orders/order-1001 -H "api_key: $MSP_API_KEY"
