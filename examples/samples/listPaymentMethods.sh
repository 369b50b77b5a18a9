curl -s "https://testapi.multisafepay.com/v1/json/payment-methods?country=BE&currency=EUR&amount=2450" -H "api_key: $MSP_API_KEY"
